//! Plan benchmark (filled in with tokenomics-core).
fn main() {}
