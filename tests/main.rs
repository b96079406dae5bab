//! Every integration test of `tokenomics`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

#[path = "common/anvil.rs"]
mod anvil;
mod common;
#[path = "common/evm.rs"]
mod evm;
#[path = "common/node.rs"]
mod node;
#[path = "common/operator.rs"]
mod operator;
#[path = "common/paid.rs"]
mod paid;
#[path = "common/proxy.rs"]
mod proxy;
#[path = "common/spec.rs"]
mod spec;

mod cli_at_cap;
mod cli_close_epoch;
mod cli_deploy;
mod cli_dry_run;
mod cli_errors;
mod cli_evm_authority;
mod cli_evm_dry_run;
mod cli_evm_node_standin;
mod cli_evm_resume;
mod cli_evm_run;
mod cli_exactly_once;
mod cli_exactly_once_refusals;
mod cli_inputs;
mod cli_logs;
mod cli_metrics;
mod cli_nonce_journal;
mod cli_operator;
mod cli_operator_flags;
mod cli_output;
mod cli_plan;
mod cli_refused_recipients;
mod cli_request_budget;
mod cli_run;
mod cli_run_evm;
mod cli_secrets;
mod cli_signals;
mod cli_status;
mod devnet_cli;
mod spec_drift;
mod spec_json_drift;
