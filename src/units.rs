//! Units and fixed scales of the model: named once, used everywhere (no bare `10` or `365.25`).

/// Days in a year (Julian year): turns yearly rates in scenarios into daily rates, and days into years
/// in reports.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// Highest severity on the DCID scale (the Dyadic Cyber Incident and Dispute data's 1–10 severity):
/// incidents and perceived severities run from 1 to this, rung severities from 0 to this.
pub const DCID_MAX: u8 = 10;

/// Number of DCID severity levels (1 to [`DCID_MAX`]): the length of severity weights, of a doctrine's
/// response table and of a severity histogram.
pub const DCID_LEVELS: usize = DCID_MAX as usize;
