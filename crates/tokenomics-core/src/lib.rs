//! ModernTensor tokenomics core.
