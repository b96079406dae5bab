//! Every integration test of `payout-evm`, in one test binary: the EVM backend paying epochs on a real anvil.

mod evm_support;

mod evm_authority;
mod evm_close;
mod evm_close_executor;
mod evm_contract_decides;
mod evm_deploy_close_state;
mod evm_dry_run;
mod evm_executor;
mod evm_open;
mod evm_pay;
mod evm_payout;
mod evm_reads;
mod evm_refusals;
mod evm_verify;
