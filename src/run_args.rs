//! The flags of `tokenomics run`, and which of them go with which `--chain`.
//!
//! `--chain luxtensor` (the default) pays over the Luxtensor protocol; `--chain evm` pays
//! MDT on an EVM chain and takes the EVM flags ([`EvmFlags`]), which override the `[evm]`
//! keys of the configuration. An EVM flag with `--chain luxtensor`, or `--dry-run` with
//! `--chain evm` but no `--rpc-url` (a fresh anvil would have nothing to preview), is bad
//! input naming the flag.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::error::CliError;

/// Arguments of `tokenomics run`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Node URL (repeat for failover); without it the embedded devnet (`--chain
    /// luxtensor`) or a fresh local anvil (`--chain evm`) is started.
    #[arg(long = "rpc-url")]
    pub(crate) rpc_url: Vec<String>,
    /// Bearer token for the node's mutating methods.
    #[arg(long, env = "TOKENOMICS_RPC_TOKEN", hide_env_values = true)]
    pub(crate) rpc_token: Option<String>,
    /// Epochs to pay when no inputs are given.
    #[arg(long, default_value_t = 3)]
    pub(crate) epochs: u64,
    /// Epoch inputs: one JSON file, or a folder of them (paid in name order).
    #[arg(long)]
    pub(crate) inputs: Option<PathBuf>,
    /// Participants of the synthetic network paid when no inputs are given.
    #[arg(long, default_value_t = 1000)]
    pub(crate) synthetic: usize,
    /// Journal file (default: next to the embedded devnet's ledger, or
    /// `$XDG_DATA_HOME/tokenomics/journals/<chain|evm>-<id>-<url hash>.sqlite` for a node).
    /// With `--chain evm` the sender's nonce journal lies beside it:
    /// `<journal without its extension>.nonces.sqlite`.
    #[arg(long)]
    pub(crate) journal: Option<PathBuf>,
    /// Configuration file (TOML).
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
    /// Print the epoch reports as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Serve Prometheus metrics at /metrics on this loopback address while running.
    #[arg(long)]
    pub(crate) metrics_addr: Option<SocketAddr>,
    /// After the last epoch, keep serving /metrics this many seconds, so a scraper sees
    /// the final values (Ctrl-C ends it sooner).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        requires = "metrics_addr"
    )]
    pub(crate) metrics_linger: u64,
    /// Plan and read the chain, print what would be minted and sent; send nothing,
    /// write no journal (with `--chain evm`: `--rpc-url` required, no key read, the
    /// nonce journal not opened).
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// The payout backend: the Luxtensor protocol, or MDT on an EVM chain.
    #[arg(long, value_enum, default_value_t = ChainKind::Luxtensor)]
    pub(crate) chain: ChainKind,
    #[command(flatten)]
    pub(crate) evm: EvmFlags,
    /// File holding the signer's key: one line, 0x + 64 hex digits, readable by its owner
    /// only (else the key comes from TOKENOMICS_SIGNER_KEY). `--chain evm` with `--rpc-url`
    /// only.
    #[arg(long, value_name = "F")]
    pub(crate) signer_key_file: Option<PathBuf>,
    /// How `--chain evm` pays each epoch (`[evm] payout`, default push): `push` sends the
    /// transfers in chunks; `claims` publishes one cumulative Merkle root per epoch
    /// (`openClaims`) that each recipient claims from (`tokenomics proofs`, `tokenomics claim`).
    #[arg(long, value_enum, value_name = "MODE")]
    pub(crate) payout: Option<PayoutFlag>,
    /// With `--payout claims`: a folder of the inputs files of earlier claims epochs, read
    /// only when the journal lacks the cumulative table the contract's root stands on (a
    /// lost or new journal); each is checked against its epoch record on chain.
    #[arg(long, value_name = "DIR")]
    pub(crate) claims_history: Option<PathBuf>,
}

/// `--payout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PayoutFlag {
    /// Transfers in chunks (`openEpoch`, `payout`).
    Push,
    /// One `openClaims` per epoch; recipients claim.
    Claims,
}

/// The payout backend `--chain` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ChainKind {
    /// `luxtensor_mint` / `luxtensor_transfer` (the embedded devnet without `--rpc-url`).
    Luxtensor,
    /// The MDT token and its `EpochPayout` contract (a fresh anvil without `--rpc-url`).
    Evm,
}

/// The flags of `--chain evm` only that say which chain and contracts (`run` and
/// `status --check-chain` share them); each overrides the `[evm]` key of the same name.
#[derive(Debug, Default, clap::Args)]
pub(crate) struct EvmFlags {
    /// The MDT token contract (`[evm] token_address`); required with `--rpc-url`.
    #[arg(long, value_name = "A")]
    pub(crate) token_address: Option<String>,
    /// The EpochPayout contract (`[evm] payout_address`); required with `--rpc-url`.
    #[arg(long, value_name = "B")]
    pub(crate) payout_address: Option<String>,
    /// The chain id the node must report (`[evm] chain_id`; default: the node's own).
    #[arg(long, value_name = "N")]
    pub(crate) chain_id: Option<u64>,
    /// Blocks a receipt must be deep (`[evm] confirmations`, default 1).
    #[arg(long, value_name = "K")]
    pub(crate) confirmations: Option<u64>,
}

impl EvmFlags {
    /// The first EVM flag given, by name.
    pub(crate) fn first_given(&self) -> Option<&'static str> {
        [
            ("--token-address", self.token_address.is_some()),
            ("--payout-address", self.payout_address.is_some()),
            ("--chain-id", self.chain_id.is_some()),
            ("--confirmations", self.confirmations.is_some()),
        ]
        .into_iter()
        .find_map(|(flag, given)| given.then_some(flag))
    }

    /// Refuses EVM flags with `--chain luxtensor`, and values out of range: a chain id or
    /// a number of confirmations of 0.
    pub(crate) fn check(&self, chain: ChainKind) -> Result<(), CliError> {
        if chain == ChainKind::Luxtensor {
            if let Some(flag) = self.first_given() {
                return Err(CliError::BadInput(format!("{flag}: only with --chain evm")));
            }
        }
        if self.chain_id == Some(0) {
            return Err(CliError::BadInput("--chain-id: must be at least 1".into()));
        }
        if self.confirmations == Some(0) {
            return Err(CliError::BadInput(
                "--confirmations: must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

impl RunArgs {
    /// Refuses flags that do not go with `--chain`: EVM flags with `--chain luxtensor`,
    /// `--dry-run` with `--chain evm` but no `--rpc-url`.
    pub(crate) fn check_chain(&self) -> Result<(), CliError> {
        self.evm.check(self.chain)?;
        if self.chain == ChainKind::Luxtensor {
            if self.payout.is_some() {
                return Err(CliError::BadInput("--payout: only with --chain evm".into()));
            }
            if self.claims_history.is_some() {
                return Err(CliError::BadInput(
                    "--claims-history: only with --chain evm --payout claims".into(),
                ));
            }
        }
        match self.chain {
            ChainKind::Luxtensor if self.signer_key_file.is_some() => Err(CliError::BadInput(
                "--signer-key-file: only with --chain evm".into(),
            )),
            ChainKind::Luxtensor => Ok(()),
            ChainKind::Evm if self.dry_run && self.rpc_url.is_empty() => Err(CliError::BadInput(
                "--dry-run: with --chain evm, --rpc-url is required (the node and contracts to \
                 preview; without it a run would start a fresh anvil and deploy)"
                    .into(),
            )),
            ChainKind::Evm => Ok(()),
        }
    }
}

/// Arguments of `tokenomics status`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// The journal file to read (as given to `run --journal`, or the path `run` printed).
    #[arg(long)]
    pub(crate) journal: PathBuf,
    /// Print a JSON list of epochs instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also read the chain (reads only: nothing is sent, no key, no lock) and show, per
    /// epoch, what it shows beside the journal; exit 1 where the journal claims more.
    #[arg(long)]
    pub(crate) check_chain: bool,
    /// With --check-chain: the chain the journal pays on (default luxtensor).
    #[arg(long, value_enum)]
    pub(crate) chain: Option<ChainKind>,
    /// With --check-chain: the node's URL (repeat for failover); required.
    #[arg(long = "rpc-url")]
    pub(crate) rpc_url: Vec<String>,
    /// With --check-chain: bearer token for a node that asks for one.
    #[arg(long, env = "TOKENOMICS_RPC_TOKEN", hide_env_values = true)]
    pub(crate) rpc_token: Option<String>,
    /// With --check-chain: configuration file (TOML; `[rpc]`, and `[evm]` for --chain evm).
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) evm: EvmFlags,
}
