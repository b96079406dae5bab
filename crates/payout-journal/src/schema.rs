//! The journal's schema: the version this code writes and the tables it creates.

/// The schema this version writes (`PRAGMA user_version`). Version 1 (never set, 0 on
/// disk) keyed writes by plan hash; its finished epochs are kept, unfinished ones are
/// refused because their keys differ from today's. Version 3 added `started_at`,
/// `finished_at` and `runs` (unknown, NULL, for epochs journaled before). Version 4 keeps
/// `transfers` in its primary key's order (`WITHOUT ROWID`) and each confirmation as a row
/// of its own in `confirmations` (a transfer's `tx_hash` column before): confirming
/// appends rows instead of rewriting the plan's. Version 5 adds `closed_reason` and
/// `closed_tx` (an epoch closed for good by `tokenomics close-epoch`, stage `closed`).
/// Version 6 adds `claims_epochs` and `claims_accounts`: the cumulative table of the
/// claims backend (`ClaimsLedger`).
pub const SCHEMA_VERSION: i64 = 6;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS epochs (
    epoch           INTEGER PRIMARY KEY,
    plan_hash       TEXT NOT NULL,
    inputs_digest   TEXT NOT NULL,
    minted_supply   TEXT NOT NULL,
    treasury        TEXT NOT NULL,
    from_mint       TEXT NOT NULL,
    total           TEXT NOT NULL,
    treasury_before TEXT,
    stage           TEXT NOT NULL,
    baseline_block  TEXT,
    started_at      INTEGER,
    finished_at     INTEGER,
    runs            INTEGER,
    closed_reason   TEXT,
    closed_tx       TEXT
);
CREATE TABLE IF NOT EXISTS transfers (
    epoch     INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    amount    TEXT NOT NULL,
    category  TEXT NOT NULL,
    PRIMARY KEY (epoch, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS confirmations (
    epoch   INTEGER NOT NULL,
    idx     INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    PRIMARY KEY (epoch, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims_epochs (
    epoch            INTEGER PRIMARY KEY,
    root             TEXT NOT NULL,
    cumulative_total TEXT NOT NULL,
    accounts         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS claims_accounts (
    account    TEXT PRIMARY KEY,
    cumulative TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples (
    epoch          INTEGER NOT NULL,
    recipient      TEXT NOT NULL,
    balance_before TEXT NOT NULL,
    PRIMARY KEY (epoch, recipient)
);
";
