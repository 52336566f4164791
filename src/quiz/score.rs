//! The reference scorer: SPEC §3 scoring, exactly, on the contract's answers JSON (contract §2),
//! giving the contract's result JSON. The browser's `quiz.js` must agree with it on every input;
//! the differential tests compare the two.
//!
//! Floating point is part of the contract: totals are added in question order (options in index
//! order), then divided once, the same way [`super::analysis`] enumerates reachable scores.

use std::collections::BTreeMap;

use serde::Serialize;

pub use super::answer::{Answer, Answers};
use super::kinds::Additions;
pub use super::kinds::QuestionResult;
use super::model::*;

/// The result of scoring, as contract §2 shapes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreResult {
    /// The first matching outcome's id, or `None` when none matches (or there are none).
    pub outcome: Option<String>,
    /// Each dimension's score; knowledge: `{ "score": score }`.
    pub dimensions: BTreeMap<String, f64>,
    /// Knowledge only (null in assessment).
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    /// 100 × earned / possible.
    pub score: Option<f64>,
    /// `score ≥ pass`; null without `pass` and in assessment.
    pub passed: Option<bool>,
    /// Knowledge: every question; assessment: empty.
    pub questions: BTreeMap<String, QuestionResult>,
}

/// [`score`] for a reader given only the questions `drawn` (their ids; SPEC §3.2 `draw`): the
/// others are not asked, so they neither count nor are missing.
pub fn score_drawn(quiz: &Quiz, answers: &Answers, drawn: &[String]) -> Result<ScoreResult, Vec<String>> {
    let mut asked = quiz.clone();
    asked.questions.retain(|q| drawn.contains(&q.id));
    score(&asked, answers)
}

/// Scores `answers` against `quiz`, or lists the required questions (ids, in quiz order) that
/// have no fitting answer (an answer of the wrong shape counts as none: each question type
/// says what fits, in its module).
pub fn score(quiz: &Quiz, answers: &Answers) -> Result<ScoreResult, Vec<String>> {
    let answer = |q: &Question| answers.0.get(&q.id);
    let missing = |answered: &[bool]| -> Vec<String> {
        quiz.questions
            .iter()
            .zip(answered)
            .filter(|(q, a)| q.required && !**a)
            .map(|(q, _)| q.id.clone())
            .collect()
    };
    match quiz.mode {
        Mode::Knowledge { pass } => {
            let results: Vec<Option<QuestionResult>> =
                quiz.questions.iter().map(|q| q.kind.earn(answer(q), q.points.unwrap_or(1.0))).collect();
            let missing = missing(&results.iter().map(Option::is_some).collect::<Vec<_>>());
            if !missing.is_empty() {
                return Err(missing);
            }
            Ok(score_knowledge(quiz, pass, results))
        }
        Mode::Assessment => {
            let dimensions = quiz.dimension_ids();
            let additions: Vec<Option<Additions>> =
                quiz.questions.iter().map(|q| q.kind.add(answer(q), &dimensions)).collect();
            let missing = missing(&additions.iter().map(Option::is_some).collect::<Vec<_>>());
            if !missing.is_empty() {
                return Err(missing);
            }
            Ok(score_assessment(quiz, &additions))
        }
    }
}

fn score_knowledge(quiz: &Quiz, pass: Option<f64>, results: Vec<Option<QuestionResult>>) -> ScoreResult {
    let mut earned = 0.0;
    let mut possible = 0.0;
    let mut questions = BTreeMap::new();
    for (q, result) in quiz.questions.iter().zip(results) {
        let points = q.points.unwrap_or(1.0);
        // Unanswered (optional) questions earn nothing.
        let result = result.unwrap_or(QuestionResult { correct: false, earned: 0.0 });
        earned += result.earned;
        possible += points;
        questions.insert(q.id.clone(), result);
    }
    let score = 100.0 * earned / possible;
    ScoreResult {
        outcome: quiz.outcome_for(&[score]).map(|o| o.id.clone()),
        dimensions: BTreeMap::from([(KNOWLEDGE_DIMENSION.to_string(), score)]),
        earned: Some(earned),
        possible: Some(possible),
        score: Some(score),
        passed: pass.map(|pass| score >= pass),
        questions,
    }
}

fn score_assessment(quiz: &Quiz, additions: &[Option<Additions>]) -> ScoreResult {
    let n = quiz.dimensions.len();
    let mut totals = vec![0.0; n];
    // For `mean`: the summed weights of the answered questions that can contribute.
    let mut weights = vec![0.0; n];
    for a in additions.iter().flatten() {
        for &(d, amount) in &a.totals {
            totals[d] += amount;
        }
        for &(d, weight) in &a.weights {
            weights[d] += weight;
        }
    }
    let scores: Vec<f64> = quiz
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| aggregate(dimension.aggregate, totals[d], weights[d]))
        .collect();
    ScoreResult {
        outcome: quiz.outcome_for(&scores).map(|o| o.id.clone()),
        dimensions: quiz.dimensions.iter().map(|d| d.id.clone()).zip(scores).collect(),
        earned: None,
        possible: None,
        score: None,
        passed: None,
        questions: BTreeMap::new(),
    }
}

/// A dimension's score from its total and its answered weight. The mean of a dimension that no
/// answered question contributes to is 0.
pub(crate) fn aggregate(aggregate: Aggregate, total: f64, weight: f64) -> f64 {
    match aggregate {
        Aggregate::Sum => total,
        Aggregate::Mean if weight == 0.0 => 0.0,
        Aggregate::Mean => total / weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::testing::quiz;

    fn answers(json: &str) -> Answers {
        serde_json::from_str(json).expect("valid answers JSON")
    }

    const KNOWLEDGE: &str = "\
title: T
mode: knowledge
pass: 60
questions:
  - id: one
    type: single
    prompt: P
    options: [{ text: a }, { text: b, correct: true }, { text: c }]
  - id: all
    type: multiple
    prompt: P
    points: 2
    options: [{ text: a, correct: true }, { text: b, correct: true }, { text: c }]
  - id: some
    type: multiple
    prompt: P
    points: 3
    partial: true
    options: [{ text: a, correct: true }, { text: b, correct: true }, { text: c, correct: true }, { text: d }]
  - { id: tf, type: truefalse, prompt: P, answer: false }
  - { id: word, type: text, prompt: P, accept: [Boundaries, boundary] }
  - { id: count, type: number, prompt: P, answer: 4, tolerance: 0.5, required: false }
outcomes:
  - { id: low, title: L, when: { score: { below: 50 } } }
  - { id: high, title: H, when: { score: { min: 50 } } }
";

    #[test]
    fn knowledge_scores_every_question_type() {
        let quiz = quiz(KNOWLEDGE);
        let all_right = answers(
            r#"{"one": 1, "all": [1, 0], "some": [0, 1, 2], "tf": false, "word": "  BOUNDÁRIES ", "count": 4.5}"#,
        );
        let result = score(&quiz, &all_right).unwrap();
        assert_eq!(
            (result.earned, result.possible, result.score, result.passed),
            (Some(9.0), Some(9.0), Some(100.0), Some(true))
        );
        assert_eq!(result.outcome.as_deref(), Some("high"));
        assert_eq!(result.dimensions, BTreeMap::from([("score".to_string(), 100.0)]));
        assert!(result.questions.values().all(|q| q.correct), "{:?}", result.questions);

        let all_wrong =
            answers(r#"{"one": 0, "all": [0], "some": [3], "tf": true, "word": "limits", "count": 4.6}"#);
        let result = score(&quiz, &all_wrong).unwrap();
        assert_eq!((result.earned, result.score, result.passed), (Some(0.0), Some(0.0), Some(false)));
        assert_eq!(result.outcome.as_deref(), Some("low"));
        assert!(result.questions.values().all(|q| !q.correct && q.earned == 0.0), "{:?}", result.questions);
    }

    #[test]
    fn multiple_is_all_or_nothing_unless_partial() {
        let quiz = quiz(KNOWLEDGE);
        let base = r#""one": 1, "tf": false, "word": "boundary""#;
        let result =
            score(&quiz, &answers(&format!(r#"{{{base}, "all": [0, 1, 2], "some": [0, 1, 3]}}"#))).unwrap();
        assert_eq!(result.questions["all"], QuestionResult { correct: false, earned: 0.0 });
        // Partial: 3 × max(0, 2 right − 1 wrong) / 3 correct.
        assert_eq!(result.questions["some"], QuestionResult { correct: false, earned: 1.0 });
        let result =
            score(&quiz, &answers(&format!(r#"{{{base}, "all": [0, 1], "some": [2, 3, 2]}}"#))).unwrap();
        // Duplicates count once: 1 right − 1 wrong = 0.
        assert_eq!(result.questions["some"], QuestionResult { correct: false, earned: 0.0 });
        let result =
            score(&quiz, &answers(&format!(r#"{{{base}, "all": [0, 1], "some": [1, 0]}}"#))).unwrap();
        assert_eq!(result.questions["some"], QuestionResult { correct: false, earned: 2.0 });
        // 1 + 2 + 2 + 1 + 1 of 9, and the unanswered optional question earns nothing.
        assert_eq!(result.earned, Some(7.0));
        assert_eq!(result.score, Some(100.0 * 7.0 / 9.0));
        assert_eq!(result.questions["count"], QuestionResult { correct: false, earned: 0.0 });
    }

    #[test]
    fn required_questions_must_be_answered_with_something_that_fits() {
        let quiz = quiz(KNOWLEDGE);
        let missing =
            score(&quiz, &answers(r#"{"one": 7, "all": [], "tf": "false", "word": "   "}"#)).unwrap_err();
        assert_eq!(missing, ["one", "all", "some", "tf", "word"]);
        let missing =
            score(&quiz, &answers(r#"{"one": 1.5, "all": [0], "some": [0], "tf": true, "word": "x"}"#))
                .unwrap_err();
        assert_eq!(missing, ["one"]);
        let missing = score(
            &quiz,
            &answers(r#"{"one": null, "all": ["0"], "some": {"a": 1}, "tf": true, "word": "x"}"#),
        )
        .unwrap_err();
        assert_eq!(missing, ["one", "all", "some"]);
    }

    #[test]
    fn without_pass_passed_is_null_and_without_outcomes_outcome_is_null() {
        let quiz =
            quiz("title: T\nmode: knowledge\nquestions:\n  - { type: truefalse, prompt: P, answer: true }\n");
        let result = score(&quiz, &answers(r#"{"q1": true}"#)).unwrap();
        assert_eq!((result.passed, result.outcome), (None, None));
        assert_eq!(result.score, Some(100.0));
    }

    const ASSESSMENT: &str = "\
title: T
mode: assessment
dimensions:
  - { id: closeness, aggregate: mean }
  - { id: autonomy }
questions:
  - { id: s1, type: scale, prompt: P, scale: agree5, dimension: closeness }
  - { id: s2, type: scale, prompt: P, scale: agree5, dimension: closeness, reverse: true, weight: 2 }
  - { id: s3, type: scale, prompt: P, scale: agree7, dimension: closeness, required: false }
  - { id: a1, type: scale, prompt: P, scale: { min: 0, max: 3 }, dimension: autonomy }
  - { id: a2, type: scale, prompt: P, scale: frequency5, dimension: autonomy, reverse: true }
  - id: pick
    type: single
    prompt: P
    options:
      - { text: a, points: { autonomy: 2 } }
      - { text: b, points: { closeness: 4, autonomy: -1 } }
  - id: many
    type: multiple
    prompt: P
    required: false
    options:
      - { text: a, points: { autonomy: 1 } }
      - { text: b, points: { autonomy: 2.5 } }
      - { text: c, points: { closeness: 5 } }
outcomes:
  - { id: close, title: C, when: { closeness: { min: 3 } } }
  - { id: apart, title: A, when: { closeness: { below: 3 } } }
";

    #[test]
    fn assessment_sums_and_means_with_reversal_and_weights() {
        let quiz = quiz(ASSESSMENT);
        // closeness: s1 4, s2 picked 2 → reversed 4, × 2 = 8; `pick` b gives 4 (weight 1);
        // `many` contributes (option c names closeness) with 0 here. s3 unanswered.
        // total 4 + 8 + 4 + 0 = 16 over weights 1 + 2 + 1 + 1 = 5.
        // autonomy (sum): a1 3, a2 picked 1 → 5, pick b −1, many a + b 3.5 → 10.5.
        let result =
            score(&quiz, &answers(r#"{"s1": 4, "s2": 2, "a1": 3, "a2": 1, "pick": 1, "many": [1, 0]}"#))
                .unwrap();
        assert_eq!(result.dimensions["closeness"], 16.0 / 5.0);
        assert_eq!(result.dimensions["autonomy"], 10.5);
        assert_eq!(result.outcome.as_deref(), Some("close"));
        assert_eq!((result.earned, result.possible, result.score, result.passed), (None, None, None, None));
        assert!(result.questions.is_empty());
    }

    #[test]
    fn a_mean_counts_only_answered_questions_that_can_contribute() {
        let quiz = quiz(ASSESSMENT);
        // `pick` a names only autonomy, but the question can contribute to closeness, so it
        // counts in closeness's divisor: (1 + 2 × 5 + 0) / (1 + 2 + 1) = 11 / 4.
        let result = score(&quiz, &answers(r#"{"s1": 1, "s2": 1, "a1": 0, "a2": 5, "pick": 0}"#)).unwrap();
        assert_eq!(result.dimensions["closeness"], 11.0 / 4.0);
        assert_eq!(result.dimensions["autonomy"], 0.0 + 1.0 + 2.0);
        assert_eq!(result.outcome.as_deref(), Some("apart"));
        // Out-of-range scale values are no answer.
        assert_eq!(
            score(&quiz, &answers(r#"{"s1": 6, "s2": 1, "a1": 0, "a2": 5, "pick": 0}"#)).unwrap_err(),
            ["s1"]
        );
    }

    #[test]
    fn a_mean_nothing_answered_contributes_to_is_zero() {
        let quiz = quiz(
            "title: T\nmode: assessment\ndimensions: [{ id: x, aggregate: mean }]\nquestions:\n  - { type: scale, prompt: P, scale: agree5, dimension: x, required: false }\n  - { type: scale, prompt: P, scale: agree5, dimension: x, required: false }\n  - { type: scale, prompt: P, scale: agree5, dimension: x, required: false }\noutcomes:\n  - { id: all, title: A, when: {} }\n",
        );
        let result = score(&quiz, &Answers::default()).unwrap();
        assert_eq!(result.dimensions["x"], 0.0);
        assert_eq!(result.outcome.as_deref(), Some("all"));
    }

    #[test]
    fn top_ties_go_to_the_earliest_listed_outcome() {
        let quiz = quiz(include_str!("fixtures/assessment-top.yaml"));
        let all = |talk: i64, space: i64, help: i64| {
            answers(&format!(
                r#"{{"q1": {talk}, "q4": {talk}, "q7": {}, "q2": {space}, "q5": {space}, "q8": {space}, "q3": {help}, "q6": {help}, "q9": {}}}"#,
                6 - talk,
                6 - help
            ))
        };
        let outcome = |a: Answers| score(&quiz, &a).unwrap().outcome.unwrap();
        assert_eq!(outcome(all(5, 3, 3)), "talker");
        assert_eq!(outcome(all(3, 4, 4)), "spacer", "space and help tie: space is listed first");
        assert_eq!(outcome(all(2, 2, 5)), "helper");
        assert_eq!(outcome(all(4, 4, 4)), "talker");
    }

    #[test]
    fn results_serialize_as_the_contract_says() {
        let quiz = quiz(ASSESSMENT);
        let result = score(&quiz, &answers(r#"{"s1": 4, "s2": 2, "a1": 3, "a2": 1, "pick": 1}"#)).unwrap();
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["outcome"], "close");
        assert_eq!(json["earned"], serde_json::Value::Null);
        assert_eq!(json["passed"], serde_json::Value::Null);
        assert_eq!(json["questions"], serde_json::json!({}));
        assert!(json["dimensions"]["autonomy"].is_number());
        let quiz = crate::quiz::testing::quiz(KNOWLEDGE);
        let result =
            score(&quiz, &answers(r#"{"one": 1, "all": [0, 1], "some": [0], "tf": false, "word": "x"}"#))
                .unwrap();
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["questions"]["one"], serde_json::json!({ "correct": true, "earned": 1.0 }));
        assert_eq!(json["dimensions"]["score"], json["score"]);
    }
}

/// The cases of `fixtures/contract.json`, which `tests/js/contract.test.mjs` runs against
/// quiz.js: the two scorers cannot disagree on them while both suites pass.
#[cfg(test)]
mod contract_tests {
    use std::path::Path;

    use serde_json::Value;

    use super::*;
    use crate::quiz::normalize;

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/quiz/fixtures/contract.json");

    fn fixture() -> Value {
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap()
    }

    #[test]
    fn normalisation_cases() {
        let all = fixture();
        let cases = all["normalize"].as_array().unwrap();
        assert!(cases.len() >= 15);
        for case in cases {
            let (input, expected) = (case["input"].as_str().unwrap(), case["expected"].as_str().unwrap());
            assert_eq!(normalize(input), expected, "{input:?}: {}", case["why"]);
        }
    }

    /// `expected`'s fields (numbers within 1e-9) hold in `actual`.
    fn assert_matches(actual: &Value, expected: &Value, context: &str) {
        match (actual, expected) {
            (Value::Number(a), Value::Number(e)) => {
                let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
                assert!((a - e).abs() <= 1e-9, "{context}: {a} ≠ {e}");
            }
            (Value::Object(a), Value::Object(e)) => {
                assert_eq!(a.len(), e.len(), "{context}: {actual} ≠ {expected}");
                for (k, v) in e {
                    assert_matches(&a[k], v, &format!("{context}.{k}"));
                }
            }
            _ => assert_eq!(actual, expected, "{context}"),
        }
    }

    #[test]
    fn scoring_cases_and_their_client_data() {
        let mut all = fixture();
        let bless = std::env::var_os("TANDEM_BLESS").is_some();
        let mut stale = Vec::new();
        for entry in all["quizzes"].as_array_mut().unwrap() {
            let name = entry["name"].as_str().unwrap().to_string();
            let (quiz, diagnostics) =
                crate::quiz::parse(Path::new("contract.yaml"), entry["yaml"].as_str().unwrap());
            let quiz = quiz.unwrap_or_else(|| panic!("{name}: {diagnostics:?}"));
            let data = quiz.client_data();
            // which copy of quiz.js the node suite also scores the cases with
            let script = Value::from(quiz.script().file_name());
            if entry["data"] != data || entry["script"] != script {
                stale.push(name.clone());
                entry["data"] = data;
                entry["script"] = script;
            }
            for case in entry["cases"].as_array().unwrap() {
                let context = format!("{name}: {}", case["name"]);
                let answers: Answers = serde_json::from_value(case["answers"].clone()).unwrap();
                let scored = match case.get("drawn") {
                    Some(drawn) => score_drawn(
                        &quiz,
                        &answers,
                        &serde_json::from_value::<Vec<String>>(drawn.clone()).unwrap(),
                    ),
                    None => score(&quiz, &answers),
                };
                match (scored, case.get("result")) {
                    (Ok(result), Some(expected)) => {
                        assert_matches(&serde_json::to_value(&result).unwrap(), expected, &context)
                    }
                    (Err(missing), None) => assert_eq!(Value::from(missing), case["missing"], "{context}"),
                    (got, _) => panic!("{context}: {got:?}"),
                }
            }
        }
        if bless {
            std::fs::write(FIXTURE, serde_json::to_string_pretty(&all).unwrap() + "\n").unwrap();
        } else {
            assert!(
                stale.is_empty(),
                "client data changed for {stale:?}: check it, then run with TANDEM_BLESS=1"
            );
        }
    }
}
