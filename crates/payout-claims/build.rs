//! Marks the tests that need anvil as skipped when it cannot be found, outside `CI=true`
//! (`cfg(anvil_missing)`; the rule: the `test-anvil` crate).

fn main() {
    test_anvil::build_script();
}
