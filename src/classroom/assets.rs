//! The pages, embedded in the binary: a room needs no network and no CDN.

/// The student's page (join, then the seat's view).
pub const STUDENT_HTML: &str = include_str!("../../assets/classroom/student.html");
/// The facilitator's page (the projector).
pub const FACILITATOR_HTML: &str = include_str!("../../assets/classroom/facilitator.html");
/// The script both pages share.
pub const JS: &str = include_str!("../../assets/classroom/classroom.js");
/// The style both pages share.
pub const CSS: &str = include_str!("../../assets/classroom/classroom.css");
