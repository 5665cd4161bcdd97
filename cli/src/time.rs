//! NumericDates as RFC 3339 UTC dates, and the clock. A dozen lines of
//! calendar arithmetic instead of a date crate.

/// Seconds since the epoch, from the system clock (negative before 1970).
pub fn now() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// `2025-11-24T16:00:00Z`; years outside 0..=9999 get a sign and more digits
/// (RFC 3339 has no form for them, ISO 8601's expanded years do).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (tod / 3600, tod % 3600 / 60, tod % 60);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{y:+05}")
    };
    format!("{year}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`). i128 so that no i64 input overflows.
fn civil_from_days(days: i64) -> (i128, u32, u32) {
    let z = days as i128 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i128::from(m <= 2);
    (y, m, d)
}

/// `3 d 4 h ago`, `in 12 min`: a rough distance from `now`, for people.
pub fn relative(t: i64, now: i64) -> String {
    let diff = i128::from(t) - i128::from(now);
    let a = diff.unsigned_abs();
    let span = match a {
        0..60 => format!("{a} s"),
        60..3600 => format!("{} min {} s", a / 60, a % 60),
        3600..86_400 => format!("{} h {} min", a / 3600, a % 3600 / 60),
        _ => format!("{} d {} h", a / 86_400, a % 86_400 / 3600),
    };
    match diff {
        0 => "now".into(),
        d if d < 0 => format!("{span} ago"),
        _ => format!("in {span}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_764_000_000), "2025-11-24T16:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(rfc3339(4_107_542_400), "2100-03-01T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(253_402_300_800), "+10000-01-01T00:00:00Z");
        assert_eq!(rfc3339(-62_167_219_200), "0000-01-01T00:00:00Z");
        assert_eq!(rfc3339(-62_167_219_201), "-0001-12-31T23:59:59Z");
        // Extremes do not overflow.
        assert!(rfc3339(i64::MAX).starts_with("+292277026596-"));
        assert!(rfc3339(i64::MIN).starts_with("-292277022657-"));
    }

    #[test]
    fn every_day_round_trips_through_the_calendar() {
        // Walk 800 years day by day and check the dates only ever step forward by one.
        let mut prev = civil_from_days(-146_097);
        for day in -146_096..146_097 {
            let cur = civil_from_days(day);
            let next_day = (prev.0, prev.1, prev.2 + 1);
            let next_month = (prev.0, prev.1 + 1, 1);
            let next_year = (prev.0 + 1, 1, 1);
            let month_end = prev.2 == days_in_month(prev.0, prev.1);
            let ok = if month_end {
                cur == next_month || (prev.1 == 12 && cur == next_year)
            } else {
                cur == next_day
            };
            assert!(ok, "day {day}: {prev:?} -> {cur:?}");
            prev = cur;
        }
    }

    fn days_in_month(y: i128, m: u32) -> u32 {
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    #[test]
    fn relative_spans() {
        assert_eq!(relative(100, 100), "now");
        assert_eq!(relative(58, 100), "42 s ago");
        assert_eq!(relative(100 + 3 * 86_400 + 7200, 100), "in 3 d 2 h");
    }
}
