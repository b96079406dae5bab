//! A plan as the JSON people and programs read (`tokenomics plan --json`, the Python
//! `plan()`): one shape, one serializer, so the two cannot drift; and the plan of
//! inputs under a configuration, a core refusal named as a file error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::value::RawValue;
use tokenomics_core::{Amount, Category, CoreError, EpochInputs, EpochPlan, Transfer};

use crate::{Config, Error};

/// The plan in docs/SPEC.md's JSON shape: amounts as MDT strings, fractions as JSON
/// numbers written from their exact decimal text.
#[derive(Debug, Serialize)]
pub struct PlanJson<'a> {
    epoch: u64,
    halvings: u64,
    utility_score: Box<RawValue>,
    quality_multiplier: Box<RawValue>,
    emission: Amount,
    unmet_burned: Amount,
    fees_burned: Amount,
    from_pool: Amount,
    from_mint: Amount,
    total: Amount,
    recycling_pool_after: Amount,
    categories: &'a BTreeMap<Category, Amount>,
    transfers: &'a [Transfer],
    inputs_digest: String,
    plan_hash: String,
}

impl<'a> From<&'a EpochPlan> for PlanJson<'a> {
    fn from(plan: &'a EpochPlan) -> Self {
        PlanJson {
            epoch: plan.epoch,
            halvings: plan.halvings,
            utility_score: number(plan.utility_score.to_string()),
            quality_multiplier: number(plan.quality_multiplier.to_string()),
            emission: plan.emission,
            unmet_burned: plan.unmet_burned,
            fees_burned: plan.fees_burned,
            from_pool: plan.from_pool,
            from_mint: plan.from_mint,
            total: plan.total,
            recycling_pool_after: plan.recycling_pool_after,
            categories: &plan.categories,
            transfers: &plan.transfers,
            inputs_digest: plan.inputs_digest.to_string(),
            plan_hash: plan.plan_hash.to_string(),
        }
    }
}

/// A JSON number with exactly this decimal text (e.g. `0.67`), never through `f64`.
fn number(decimal: String) -> Box<RawValue> {
    // proof: Fraction and Ratio print digits with an optional '.' and digits, which is
    // always a valid JSON number; fall back to a string if that ever changed.
    RawValue::from_string(decimal.clone())
        .or_else(|_| RawValue::from_string(format!("\"{decimal}\"")))
        .unwrap_or_default()
}

impl Config {
    /// The plan of `inputs` (read from `file`) under this configuration, on a chain that
    /// lets the epoch mint at most `mint_room` when given
    /// ([`EpochPlan::build_within`]); a refusal names the file and field as
    /// [`Error::refused_inputs`] does.
    pub fn plan(
        &self,
        inputs: &EpochInputs,
        file: &Path,
        mint_room: Option<Amount>,
    ) -> Result<EpochPlan, Error> {
        EpochPlan::build_within(&self.params(), inputs, mint_room)
            .map_err(|error| Error::refused_inputs(file, &error))
    }
}

impl Error {
    /// A configuration that tokenomics-core refuses as a whole (a schedule it cannot
    /// compute), naming the configuration `file`.
    pub fn refused_config(file: &Path, error: &CoreError) -> Error {
        Error::Invalid {
            file: file.to_path_buf(),
            reason: error.to_string(),
        }
    }
}
