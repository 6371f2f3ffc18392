//! Retrying a failed delivery: exponential backoff with a cap, and a limit on attempts.

use chrono::Duration;

/// The wait before attempt `attempts + 1`, after `attempts` failures: 1, 2, 4, 8 … minutes,
/// capped at `cap`.
pub fn backoff(attempts: u32, cap: Duration) -> Duration {
    let minutes = 1i64.checked_shl(attempts.saturating_sub(1).min(30)).unwrap_or(i64::MAX);
    Duration::minutes(minutes).min(cap)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn waits_double_up_to_the_cap() {
        let cap = Duration::hours(6);
        let waits: Vec<i64> = (1..=5).map(|n| backoff(n, cap).num_minutes()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16]);
        assert_eq!(backoff(20, cap), cap);
        assert_eq!(backoff(u32::MAX, cap), cap);
    }

    proptest! {
        #[test]
        fn waits_never_shrink_and_never_exceed_the_cap(n in 0u32..100, cap_minutes in 1i64..10_000) {
            let cap = Duration::minutes(cap_minutes);
            prop_assert!(backoff(n, cap) <= backoff(n + 1, cap));
            prop_assert!(backoff(n, cap) <= cap);
            prop_assert!(backoff(n, cap) >= Duration::minutes(1).min(cap));
        }
    }
}
