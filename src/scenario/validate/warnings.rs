//! Settings that are valid but probably not what the author meant: printed, never fatal.

use super::Problem;
use crate::scenario::types::Scenario;

/// Settings that are valid but probably not what the author meant; printed, never fatal.
pub fn warnings(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    // Confidence is the ceiling times the posterior of the state blamed (at most 1): a ceiling at or
    // below the public threshold means the state never blames anyone publicly.
    for (i, st) in s.states.iter().enumerate() {
        if st.attribution.ceiling <= st.attribution.public_threshold {
            out.push(Problem {
                path: format!("states[{i}].attribution.ceiling"),
                message: format!(
                    "{} can never publicly attribute an operation: its confidence ceiling {} does not exceed its public threshold {}",
                    st.name, st.attribution.ceiling, st.attribution.public_threshold
                ),
            });
        }
    }
    for (i, c) in s.campaigns.iter().enumerate() {
        if c.rate_per_year == 0.0 {
            out.push(Problem {
                path: format!("campaigns[{i}].rate_per_year"),
                message: "is 0: this campaign never runs".into(),
            });
        }
    }
    out
}
