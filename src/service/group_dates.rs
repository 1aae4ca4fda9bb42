//! The criminal-group date rule ([`crate::domain::group_dates`]) at the service's doors: a
//! group saved or loaded without its filing date, or with a neutralised date that does not
//! match its status, is refused with the field and the value. Import checks the same rule
//! per row (with file, line and column) in its mapping.

use crate::domain::Record;

use super::{Result, ServiceError};

pub(super) fn refuse_bad_group_dates(record: &Record) -> Result<()> {
    let Record::Group(g) = record else {
        return Ok(());
    };
    g.check_dates().map_err(|p| {
        let safe = |text: &str| crate::domain::text::display_safe(text).into_owned();
        ServiceError::invalid(
            format!("{}: {} {}", g.id, p.column, safe(&p.message.vi)),
            format!("{}: {} {}", g.id, p.column, safe(&p.message.en)),
        )
    })
}
