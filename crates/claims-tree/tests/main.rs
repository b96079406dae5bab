//! Every integration test of `claims-tree`, in one test binary.

mod support;

mod js_compat;
mod proof_files;
mod tree_build;
mod tree_dump;
mod tree_props;
