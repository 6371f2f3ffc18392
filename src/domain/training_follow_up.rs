//! Who is told about a training's follow-up (追加教育): each person who still needs it, at their own
//! address; a person without one through their department head (the nearest department up the
//! tree with a head who has an address), one notice per head listing their people; and nobody
//! when neither exists, so that the officer sees who must be reached another way.

use std::collections::{BTreeMap, HashMap};

/// A person whose follow-up is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub person_id: i32,
    pub department_id: Option<i32>,
    pub email: Option<String>,
}

/// A department head (部門責任者) with an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub person_id: i32,
    pub department_id: i32,
    pub email: String,
}

/// To whom one notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Addressee {
    /// The person themselves.
    Person(i32),
    /// A department head, for the people listed with the notice.
    Head(i32),
}

/// One notice: its addressee and address, and the people it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub to: Addressee,
    pub email: String,
    pub people: Vec<i32>,
}

/// The notices for `due`, and the people nobody can be told about (no address, no head with one).
/// `parents` maps each department to the one it is nested under.
pub fn route(due: &[Due], heads: &[Head], parents: &HashMap<i32, Option<i32>>) -> (Vec<Notice>, Vec<i32>) {
    let mut by_department: HashMap<i32, &Head> = HashMap::new();
    for head in heads {
        // The first head listed for a department takes its notices (callers list by kana).
        by_department.entry(head.department_id).or_insert(head);
    }
    let head_for = |department: Option<i32>| {
        let mut current = department;
        // At most one step per department: a loop in the stored tree cannot hang the walk.
        for _ in 0..=parents.len() {
            let id = current?;
            if let Some(head) = by_department.get(&id) {
                return Some(*head);
            }
            current = parents.get(&id).copied().flatten();
        }
        None
    };
    let mut notices = Vec::new();
    let mut through_heads: BTreeMap<i32, (String, Vec<i32>)> = BTreeMap::new();
    let mut unreachable = Vec::new();
    for person in due {
        if let Some(email) = person.email.as_deref().filter(|e| !e.trim().is_empty()) {
            notices.push(Notice {
                to: Addressee::Person(person.person_id),
                email: email.to_owned(),
                people: vec![person.person_id],
            });
        } else if let Some(head) = head_for(person.department_id) {
            through_heads
                .entry(head.person_id)
                .or_insert_with(|| (head.email.clone(), Vec::new()))
                .1
                .push(person.person_id);
        } else {
            unreachable.push(person.person_id);
        }
    }
    notices.extend(through_heads.into_iter().map(|(head, (email, people))| Notice {
        to: Addressee::Head(head),
        email,
        people,
    }));
    (notices, unreachable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(id: i32, department: Option<i32>, email: Option<&str>) -> Due {
        Due { person_id: id, department_id: department, email: email.map(str::to_owned) }
    }

    #[test]
    fn a_person_with_an_address_is_told_directly_and_others_through_the_nearest_head_up_the_tree() {
        // 営業本部 (1) ⊃ 東京営業部 (2) ⊃ 第一課 (3); the head sits on 営業本部 only.
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2)), (4, None)]);
        let heads = vec![Head { person_id: 90, department_id: 1, email: "head@example.jp".into() }];
        let (notices, unreachable) = route(
            &[
                due(1, Some(3), Some("a@example.jp")),
                due(2, Some(3), None),
                due(3, Some(2), Some("  ")),
                due(4, Some(4), None),
                due(5, None, None),
            ],
            &heads,
            &parents,
        );
        assert_eq!(
            notices,
            vec![
                Notice { to: Addressee::Person(1), email: "a@example.jp".into(), people: vec![1] },
                Notice { to: Addressee::Head(90), email: "head@example.jp".into(), people: vec![2, 3] },
            ]
        );
        assert_eq!(unreachable, vec![4, 5], "no head in their department tree, or no department");
    }

    #[test]
    fn a_department_loop_in_the_stored_tree_ends_the_walk() {
        let parents = HashMap::from([(1, Some(2)), (2, Some(1))]);
        let (notices, unreachable) = route(&[due(1, Some(1), None)], &[], &parents);
        assert!(notices.is_empty());
        assert_eq!(unreachable, vec![1]);
    }
}
