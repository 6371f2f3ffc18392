//! Training (教育) person by person: the four topics every worker must be taught at least once a
//! year, who a training is for, where each person stands (trained, failed the test, not yet, or
//! joined after it), and the 教育実施サマリー computed from the records, never typed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::people::EmploymentType;
use crate::domain::term::term;

term! {
    /// What a training must cover (JIS Q 15001's awareness requirement, in our own words).
    Topic, "training-topic" {
        /// The personal information protection policy.
        Policy => "policy",
        /// Why conforming matters and what it brings.
        Importance => "importance",
        /// Each person's roles and responsibilities in the PMS.
        Roles => "roles",
        /// What is to be expected from breaking the rules.
        Consequences => "consequences",
    }
}

/// The topics a plan leaves out (all four are required).
pub fn missing_topics(covered: &[Topic]) -> Vec<Topic> {
    <Topic as crate::domain::term::Term>::ALL.iter().copied().filter(|t| !covered.contains(t)).collect()
}

/// Who a training is for: everyone in post during its period, narrowed to some departments and
/// employment types when these are not empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    pub departments: Vec<i32>,
    pub employments: Vec<EmploymentType>,
}

/// What the rules need of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Worker {
    pub id: i32,
    pub department_id: Option<i32>,
    pub employment: EmploymentType,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// One attendance: when, and the test score if there was a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub person_id: i32,
    pub attended_on: NaiveDate,
    pub score: Option<i32>,
}

/// A training's period and test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The score that passes (inclusive); `None` when there is no test.
    pub pass_mark: Option<i32>,
    pub audience: Audience,
}

/// Where one person stands for a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    /// Attended (and passed, where there is a test).
    Trained,
    /// Attended, but every test taken is below the pass mark: a retest or 追加教育 is due.
    Failed,
    /// In the audience, not attended yet.
    NotYet,
    /// Joined after the training ended: to be trained as a newcomer.
    Newcomer,
}

impl Standing {
    /// Its name in URLs (`?standing=not_yet`) and in its translation key.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Trained => "trained",
            Standing::Failed => "failed",
            Standing::NotYet => "not_yet",
            Standing::Newcomer => "newcomer",
        }
    }

    /// The translation key of its label (`training-standing-not_yet`).
    pub fn label_key(self) -> String {
        format!("training-standing-{}", self.as_str())
    }

    /// Whether the person still needs something (a first attendance, a retest, newcomer training).
    pub fn needs_follow_up(self) -> bool {
        !matches!(self, Standing::Trained)
    }
}

impl Plan {
    /// Whether the training is for `worker`: in post at some point of the period, or joined after
    /// it (a newcomer), and in the audience's departments and employment types.
    pub fn includes(&self, worker: &Worker) -> bool {
        let a = &self.audience;
        let department = a.departments.is_empty() || worker.department_id.is_some_and(|d| a.departments.contains(&d));
        let employment = a.employments.is_empty() || a.employments.contains(&worker.employment);
        let still_there = worker.left_on.is_none_or(|left| left >= self.starts_on);
        department && employment && still_there
    }

    /// Whether an attendance passes the test (always, without one; never without a score when
    /// there is one).
    pub fn passes(&self, attendance: &Attendance) -> bool {
        match self.pass_mark {
            None => true,
            Some(mark) => attendance.score.is_some_and(|score| score >= mark),
        }
    }

    /// Where `worker` stands, given their attendances of this training.
    pub fn standing(&self, worker: &Worker, attendances: &[&Attendance]) -> Standing {
        if attendances.iter().any(|a| self.passes(a)) {
            Standing::Trained
        } else if !attendances.is_empty() {
            Standing::Failed
        } else if worker.joined_on.is_some_and(|joined| joined > self.ends_on) {
            Standing::Newcomer
        } else {
            Standing::NotYet
        }
    }
}

/// One line of the summary: an employment type with its counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// In the audience (newcomers who joined after the period excluded).
    pub audience: usize,
    pub trained: usize,
    pub failed: usize,
    pub not_yet: usize,
    /// Joined after the period: counted apart.
    pub newcomers: usize,
}

impl Counts {
    /// Trained over the audience, in per cent rounded down (100 for an empty audience).
    pub fn rate(&self) -> u32 {
        (self.trained * 100).checked_div(self.audience).map_or(100, |rate| u32::try_from(rate).unwrap_or(100))
    }

    fn add(&mut self, standing: Standing) {
        match standing {
            Standing::Newcomer => {
                self.newcomers += 1;
                return;
            }
            Standing::Trained => self.trained += 1,
            Standing::Failed => self.failed += 1,
            Standing::NotYet => self.not_yet += 1,
        }
        self.audience += 1;
    }
}

/// The 教育実施サマリー of a training: counts per employment type and in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub by_employment: BTreeMap<EmploymentType, Counts>,
    pub total: Counts,
    /// Trained only by attendances after the training's end (追加教育 done).
    pub followed_up: usize,
}

/// Each worker of the audience with their standing, and the summary: computed from the records.
pub fn assess(plan: &Plan, workers: &[Worker], attendances: &[Attendance]) -> (Vec<(Worker, Standing)>, Summary) {
    let mut by_person: BTreeMap<i32, Vec<&Attendance>> = BTreeMap::new();
    for attendance in attendances {
        by_person.entry(attendance.person_id).or_default().push(attendance);
    }
    let mut summary = Summary::default();
    let mut standings = Vec::new();
    for worker in workers {
        let attended = by_person.get(&worker.id).map(Vec::as_slice).unwrap_or_default();
        // Someone outside the audience who attended anyway is trained, and counted.
        if !plan.includes(worker) && attended.is_empty() {
            continue;
        }
        let standing = plan.standing(worker, attended);
        if standing == Standing::Trained
            && attended.iter().filter(|a| plan.passes(a)).all(|a| a.attended_on > plan.ends_on)
        {
            summary.followed_up += 1;
        }
        summary.by_employment.entry(worker.employment).or_default().add(standing);
        summary.total.add(standing);
        standings.push((*worker, standing));
    }
    (standings, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn worker(id: i32, employment: EmploymentType, joined: &str) -> Worker {
        Worker { id, department_id: Some(1), employment, joined_on: Some(d(joined)), left_on: None }
    }

    fn plan(pass_mark: Option<i32>) -> Plan {
        Plan { starts_on: d("2026-06-01"), ends_on: d("2026-06-30"), pass_mark, audience: Audience::default() }
    }

    #[test]
    fn all_four_topics_are_required() {
        assert_eq!(missing_topics(&[Topic::Policy, Topic::Roles]), [Topic::Importance, Topic::Consequences]);
        assert!(missing_topics(<Topic as crate::domain::term::Term>::ALL).is_empty());
    }

    #[test]
    fn a_person_stands_trained_failed_not_yet_or_newcomer() {
        let with_test = plan(Some(80));
        let w = worker(1, EmploymentType::Regular, "2020-04-01");
        let at = |score| Attendance { person_id: 1, attended_on: d("2026-06-10"), score };
        assert_eq!(with_test.standing(&w, &[]), Standing::NotYet);
        assert_eq!(with_test.standing(&w, &[&at(Some(60))]), Standing::Failed);
        assert_eq!(with_test.standing(&w, &[&at(Some(60)), &at(Some(85))]), Standing::Trained, "a passing retest");
        assert_eq!(with_test.standing(&w, &[&at(None)]), Standing::Failed, "no score where there is a test");
        assert_eq!(plan(None).standing(&w, &[&at(None)]), Standing::Trained, "no test: attending is enough");
        let newcomer = worker(2, EmploymentType::Regular, "2026-07-01");
        assert_eq!(with_test.standing(&newcomer, &[]), Standing::Newcomer);
    }

    #[test]
    fn the_audience_is_narrowed_by_department_and_employment_and_leavers_before_it_are_out() {
        let mut plan = plan(None);
        plan.audience = Audience { departments: vec![2], employments: vec![EmploymentType::PartTime] };
        let part_timer = Worker { department_id: Some(2), ..worker(1, EmploymentType::PartTime, "2020-01-01") };
        assert!(plan.includes(&part_timer));
        assert!(!plan.includes(&Worker { department_id: Some(1), ..part_timer }));
        assert!(!plan.includes(&Worker { employment: EmploymentType::Regular, ..part_timer }));
        assert!(!plan.includes(&Worker { left_on: Some(d("2026-05-31")), ..part_timer }), "left before it began");
        assert!(plan.includes(&Worker { left_on: Some(d("2026-06-15")), ..part_timer }), "left during it");
    }

    #[test]
    fn the_summary_counts_by_employment_type_with_the_rate_and_newcomers_apart() {
        let plan = plan(Some(70));
        let workers = [
            worker(1, EmploymentType::Regular, "2015-04-01"),
            worker(2, EmploymentType::Regular, "2018-04-01"),
            worker(3, EmploymentType::PartTime, "2022-10-01"),
            worker(4, EmploymentType::Dispatched, "2026-08-01"),
        ];
        let at = |person_id, score| Attendance { person_id, attended_on: d("2026-06-10"), score: Some(score) };
        let (standings, summary) = assess(&plan, &workers, &[at(1, 90), at(3, 50)]);
        assert_eq!(standings.len(), 4);
        let regular = summary.by_employment[&EmploymentType::Regular];
        assert_eq!((regular.audience, regular.trained, regular.not_yet, regular.rate()), (2, 1, 1, 50));
        assert_eq!(summary.by_employment[&EmploymentType::PartTime].failed, 1);
        assert_eq!(summary.by_employment[&EmploymentType::Dispatched].newcomers, 1);
        assert_eq!((summary.total.audience, summary.total.trained, summary.total.rate()), (3, 1, 33));
        assert_eq!(summary.followed_up, 0, "person 1 passed within the period");
    }
}
