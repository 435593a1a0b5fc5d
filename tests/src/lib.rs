//! jwt-guard integration tests: see tests/.
