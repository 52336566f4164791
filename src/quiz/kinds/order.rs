//! `order` (knowledge): put 2–10 items in order; listed in YAML in the right order, shown in an
//! order that is never the right one. An answer gives every item a distinct position `1…n`.
//! Right only in the exact order; with `partial`, `points × (pairs i<j in their right relative
//! order) / (n(n−1)/2)`, so it reaches every multiple of `1 / (n(n−1)/2)`.

use std::collections::HashMap;

use serde::Serialize;

use super::super::answer::Answer;
use super::super::common::{Markdown, Mode};
use super::super::locate::at;
use super::super::raw::RawQuestion;
use super::super::report::non_blank;
use super::super::text::normalize;
use super::{Cx, ItemView, KindView, QuestionResult, display_order};

/// Only quiz.min.js handles this type (quiz.js `EXTRAS`, SPEC §3.1): a quiz using it loads that copy.
pub const IN_BASIC_SCRIPT: bool = false;

pub const MIN_ITEMS: usize = 2;
pub const MAX_ITEMS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Inline Markdown, in the right order.
    pub items: Vec<Markdown>,
    pub partial: bool,
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub partial: bool,
    /// How many items (positions run 1…items).
    pub items: usize,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["items", "points", "partial"],
        Mode::Assessment => &[],
    }
}

impl Order {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Order {
        let (r, i) = (&mut *cx.r, cx.i);
        let Some(raw) = q.items.take() else {
            r.push(r.error(r.value(at!["questions", i]), "the order question has no `items`").with_hint(
                "list the items in their right order under `items`; the page shows them shuffled",
            ));
            return Order { items: Vec::new(), partial: false };
        };
        if !(MIN_ITEMS..=MAX_ITEMS).contains(&raw.len()) {
            r.push(
                r.error(
                    r.value(at!["questions", i, "items"]),
                    format!(
                        "the order question has {} item{}",
                        raw.len(),
                        if raw.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_hint(format!(
                    "an order question has {MIN_ITEMS} to {MAX_ITEMS} items, listed in their right order"
                )),
            );
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut items = Vec::new();
        for (j, text) in raw.into_iter().enumerate() {
            let path = at!["questions", i, "items", j];
            let text = non_blank(r, text, path, "the item has no text");
            if let Some(first) = seen.insert(normalize(&text), j) {
                r.push(
                    r.error(r.value(path), format!("item {} has the same text as item {}", j + 1, first + 1))
                        .with_hint("readers could not tell them apart; reword or remove one"),
                );
            }
            items.push(Markdown { text, offset: r.value(path).offset });
        }
        Order { items, partial: q.partial.unwrap_or(false) }
    }

    /// Each item's position (1-based), when every item has a distinct one of `1…n`.
    pub(crate) fn read(&self, answer: &Answer) -> Option<Vec<usize>> {
        let n = self.items.len();
        let positions: Vec<usize> = answer
            .picks()
            .filter(|positions| positions.len() == n)?
            .iter()
            .map(|p| (p.fract() == 0.0 && *p >= 1.0 && *p <= n as f64).then_some(*p as usize))
            .collect::<Option<_>>()?;
        let mut seen = vec![false; n + 1];
        positions.iter().all(|&p| !std::mem::replace(&mut seen[p], true)).then_some(positions)
    }

    pub(crate) fn earn(&self, positions: &[usize], points: f64) -> QuestionResult {
        let n = positions.len();
        let exact = positions.iter().enumerate().all(|(k, &p)| p == k + 1);
        if !self.partial {
            return QuestionResult::all_or_nothing(exact, points);
        }
        let right =
            (0..n).map(|i| (i + 1..n).filter(|&j| positions[i] < positions[j]).count()).sum::<usize>();
        QuestionResult { correct: exact, earned: points * right as f64 / (n * (n - 1) / 2) as f64 }
    }

    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        let n = self.items.len();
        let pairs = n * (n - 1) / 2;
        if self.partial {
            (0..=pairs).map(|k| points * k as f64 / pairs as f64).collect()
        } else {
            vec![0.0, points]
        }
    }

    pub(crate) fn client(&self) -> Client {
        Client { partial: self.partial, items: self.items.len() }
    }

    pub(crate) fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        let html: Vec<String> = self.items.iter().map(|m| md(&m.text, true)).collect();
        let seed: Vec<&str> = self.items.iter().map(|m| m.text.as_str()).collect();
        let items = display_order(self.items.len(), &seed)
            .into_iter()
            .map(|k| ItemView::new(k, html[k].clone()))
            .collect();
        KindView {
            items,
            positions: (1..=self.items.len()).collect(),
            answer_html: if knowledge { html.join(" → ") } else { String::new() },
            partial: self.partial,
            ..KindView::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::quiz::testing::*;
    use crate::quiz::{Answers, score};

    #[test]
    fn items_are_checked() {
        let src = knowledge("  - { type: order, prompt: P }\n");
        let p = find(&src, "the order question has no `items`");
        assert_eq!(p.line, 4);
        let src = knowledge("  - { type: order, prompt: P, items: [only] }\n");
        let p = find(&src, "the order question has 1 item");
        assert!(p.hint.contains("2 to 10 items"), "{}", p.hint);
        let eleven: Vec<String> = (1..=11).map(|i| format!("i{i}")).collect();
        let src = knowledge(&format!("  - {{ type: order, prompt: P, items: [{}] }}\n", eleven.join(", ")));
        find(&src, "the order question has 11 items");
        let src = knowledge("  - { type: order, prompt: P, items: [a, b, \" A \"] }\n");
        find(&src, "item 3 has the same text as item 1");
    }

    fn answers(json: &str) -> Answers {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn partial_credit_counts_pairs_in_their_right_relative_order() {
        let quiz = quiz(&knowledge(
            "  - { id: o, type: order, prompt: P, points: 6, partial: true, items: [a, b, c, d] }\n",
        ));
        let earned = |json: &str| score(&quiz, &answers(json)).unwrap().questions["o"].clone();
        assert_eq!(
            (earned(r#"{"o": [1, 2, 3, 4]}"#).correct, earned(r#"{"o": [1, 2, 3, 4]}"#).earned),
            (true, 6.0)
        );
        // One swap of neighbours: 5 of 6 pairs still in order.
        assert_eq!(earned(r#"{"o": [2, 1, 3, 4]}"#).earned, 5.0);
        assert_eq!(earned(r#"{"o": [4, 3, 2, 1]}"#).earned, 0.0);
        // Positions repeated, missing or out of range: unanswered.
        for bad in [
            r#"{"o": [1, 1, 2, 3]}"#,
            r#"{"o": [1, 2, 3]}"#,
            r#"{"o": [0, 1, 2, 3]}"#,
            r#"{"o": [1, 2, 3, 4.5]}"#,
        ] {
            assert_eq!(score(&quiz, &answers(bad)).unwrap_err(), ["o"], "{bad}");
        }
    }

    #[test]
    fn the_page_never_shows_the_items_in_order() {
        let quiz = quiz(&knowledge("  - { id: o, type: order, prompt: P, items: [a, b] }\n"));
        let view = crate::quiz::view(&quiz, "/q/", &|t, _| t.to_string(), &|_| None, &|_| None);
        let shown: Vec<&str> = view.questions[0].of_kind.items.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(shown, ["1", "0"]);
    }
}
