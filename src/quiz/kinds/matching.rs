//! `match` (knowledge): match each of 2–12 left items to one right-hand answer (the pairs'
//! `right` in YAML order, then `distractors`). An answer gives each left item the index of the
//! answer picked. Right only when every pair is matched; with `partial`, `points × right
//! matches / pairs`.

use std::collections::HashMap;

use serde::Serialize;

use super::super::answer::{Answer, index};
use super::super::common::{Markdown, Mode};
use super::super::locate::at;
use super::super::raw::RawQuestion;
use super::super::report::non_blank;
use super::super::text::normalize;
use super::{Cx, ItemView, KindView, QuestionResult, display_order};

/// Only quiz.min.js handles this type (quiz.js `EXTRAS`, SPEC §3.1): a quiz using it loads that copy.
pub const IN_BASIC_SCRIPT: bool = false;

pub const MIN_PAIRS: usize = 2;
pub const MAX_PAIRS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Inline Markdown: each left item and its right-hand answer.
    pub pairs: Vec<(Markdown, Markdown)>,
    pub distractors: Vec<Markdown>,
    pub partial: bool,
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub partial: bool,
    pub pairs: usize,
    /// How many right-hand answers (pairs, then distractors).
    pub answers: usize,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["pairs", "distractors", "points", "partial"],
        Mode::Assessment => &[],
    }
}

impl Match {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Match {
        let (r, i) = (&mut *cx.r, cx.i);
        let partial = q.partial.unwrap_or(false);
        let Some(raw) = q.pairs.take() else {
            r.push(
                r.error(r.value(at!["questions", i]), "the match question has no `pairs`")
                    .with_hint("list `pairs`, each `{ left: …, right: … }`"),
            );
            return Match { pairs: Vec::new(), distractors: Vec::new(), partial };
        };
        if !(MIN_PAIRS..=MAX_PAIRS).contains(&raw.len()) {
            r.push(
                r.error(
                    r.value(at!["questions", i, "pairs"]),
                    format!(
                        "the match question has {} pair{}",
                        raw.len(),
                        if raw.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_hint(format!("a match question has {MIN_PAIRS} to {MAX_PAIRS} pairs")),
            );
        }
        // Right-hand answers must differ, or two would be indistinguishable choices.
        let mut answers: HashMap<String, String> = HashMap::new();
        let mut distinct = |r: &mut super::super::report::Reporter,
                            text: &str,
                            path: &[super::super::locate::Seg],
                            what: String| {
            if let Some(first) = answers.insert(normalize(text), what.clone()) {
                r.push(
                    r.error(r.value(path), format!("{what} is the same right-hand answer as {first}"))
                        .with_hint(
                            "each right-hand answer is offered to every left item, so they must differ",
                        ),
                );
            }
        };
        let mut lefts: HashMap<String, usize> = HashMap::new();
        let mut pairs = Vec::new();
        for (j, pair) in raw.into_iter().enumerate() {
            let (left_path, right_path) =
                (at!["questions", i, "pairs", j, "left"], at!["questions", i, "pairs", j, "right"]);
            let left = non_blank(r, pair.left, left_path, "the pair's `left` is empty");
            let right = non_blank(r, pair.right, right_path, "the pair's `right` is empty");
            if let Some(first) = lefts.insert(normalize(&left), j) {
                r.push(
                    r.error(
                        r.value(left_path),
                        format!("pair {} has the same left item as pair {}", j + 1, first + 1),
                    )
                    .with_hint("readers could not tell them apart; reword or remove one"),
                );
            }
            if !normalize(&right).is_empty() {
                distinct(r, &right, right_path, format!("pair {}'s `right`", j + 1));
            }
            pairs.push((
                Markdown { text: left, offset: r.value(left_path).offset },
                Markdown { text: right, offset: r.value(right_path).offset },
            ));
        }
        let mut distractors = Vec::new();
        for (j, text) in q.distractors.take().unwrap_or_default().into_iter().enumerate() {
            let path = at!["questions", i, "distractors", j];
            let text = non_blank(r, text, path, "the distractor is empty");
            if !normalize(&text).is_empty() {
                distinct(r, &text, path, format!("distractor {}", j + 1));
            }
            distractors.push(Markdown { text, offset: r.value(path).offset });
        }
        Match { pairs, distractors, partial }
    }

    fn answer_count(&self) -> usize {
        self.pairs.len() + self.distractors.len()
    }

    /// The answer picked for each left item, when every one has an index in range.
    pub(crate) fn read(&self, answer: &Answer) -> Option<Vec<usize>> {
        let picks = answer.picks().filter(|picks| picks.len() == self.pairs.len())?;
        picks.iter().map(|x| index(*x, self.answer_count())).collect()
    }

    pub(crate) fn earn(&self, picked: &[usize], points: f64) -> QuestionResult {
        let right = picked.iter().enumerate().filter(|(k, p)| k == *p).count();
        let exact = right == self.pairs.len();
        if self.partial {
            QuestionResult { correct: exact, earned: points * right as f64 / self.pairs.len() as f64 }
        } else {
            QuestionResult::all_or_nothing(exact, points)
        }
    }

    /// Every number of right matches is reachable (a left item can always pick another's answer).
    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        let n = self.pairs.len();
        if self.partial { (0..=n).map(|k| points * k as f64 / n as f64).collect() } else { vec![0.0, points] }
    }

    pub(crate) fn client(&self) -> Client {
        Client { partial: self.partial, pairs: self.pairs.len(), answers: self.answer_count() }
    }

    pub(crate) fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        let lefts: Vec<String> = self.pairs.iter().map(|(l, _)| md(&l.text, true)).collect();
        let answers: Vec<String> =
            self.pairs.iter().map(|(_, r)| r).chain(&self.distractors).map(|m| md(&m.text, true)).collect();
        let seed: Vec<&str> = self.pairs.iter().map(|(l, _)| l.text.as_str()).collect();
        let answer_html = if knowledge {
            lefts.iter().zip(&answers).map(|(l, r)| format!("{l} → {r}")).collect::<Vec<_>>().join("; ")
        } else {
            String::new()
        };
        KindView {
            items: lefts.iter().enumerate().map(|(k, h)| ItemView::new(k, h.clone())).collect(),
            // Shown in an order unrelated to the pairs', so position gives nothing away.
            answers: display_order(answers.len(), &seed)
                .into_iter()
                .map(|k| ItemView::new(k, answers[k].clone()))
                .collect(),
            answer_html,
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
    fn pairs_and_answers_are_checked() {
        find(&knowledge("  - { type: match, prompt: P }\n"), "the match question has no `pairs`");
        find(
            &knowledge("  - { type: match, prompt: P, pairs: [{ left: a, right: x }] }\n"),
            "the match question has 1 pair",
        );
        let src = knowledge(
            "  - type: match\n    prompt: P\n    pairs:\n      - { left: a, right: X }\n      - { left: b, right: \"\" }\n    distractors: [\" x \"]\n",
        );
        let p = find(&src, "the pair's `right` is empty");
        assert_eq!(p.line, 8);
        let p = find(&src, "distractor 1 is the same right-hand answer as pair 1's `right`");
        assert_eq!(p.line, 9);
    }

    #[test]
    fn partial_credit_counts_right_matches() {
        let quiz = quiz(&knowledge(
            "  - type: match\n    id: m\n    prompt: P\n    partial: true\n    pairs: [{ left: a, right: x }, { left: b, right: y }, { left: c, right: z }]\n    distractors: [w]\n",
        ));
        let result = |json: &str| score(&quiz, &serde_json::from_str::<Answers>(json).unwrap());
        assert_eq!(result(r#"{"m": [0, 1, 2]}"#).unwrap().questions["m"].earned, 1.0);
        assert_eq!(result(r#"{"m": [0, 0, 3]}"#).unwrap().questions["m"].earned, 1.0 / 3.0);
        assert!(!result(r#"{"m": [0, 0, 3]}"#).unwrap().questions["m"].correct);
        assert_eq!(result(r#"{"m": [0, 1, 4]}"#).unwrap_err(), ["m"], "an answer index out of range");
        assert_eq!(result(r#"{"m": [0, 1]}"#).unwrap_err(), ["m"], "a pair left unmatched");
    }
}
