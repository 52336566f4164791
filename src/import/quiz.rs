//! mdbook-quiz's TOML quizzes, turned into tandem quiz YAML (SPEC §6).
//!
//! mdbook-quiz's schema (crate `mdbook-quiz-schema`): a file holds `[[questions]]`, each with a
//! `type` and `prompt`/`answer` tables, an optional `context` (shown after answering) and `id`;
//! `[multipart]` maps a key to Markdown that questions naming it share. The mapping:
//!
//! - `MultipleChoice` → `single`, or `multiple` when `answer.answer` is an array (mdbook-quiz shows
//!   checkboxes for an array, even of one); `prompt.distractors` become the wrong options.
//!   mdbook-quiz shuffles the options unless `answerIndex` or `sortAnswers` fixes them, so the quiz
//!   shuffles options too, unless one of its questions fixes them;
//! - `ShortAnswer` → `text`, accepting `answer` and every `alternatives` entry;
//! - `Tracing` → `truefalse` "Does this program compile?" with the program as a ```` ```rust ````
//!   block, answered by `doesCompile`; the expected output or error line goes to the explanation;
//! - `context` → `explanation`; a `multipart` text goes above the prompt.
//!
//! Markdown and code in prompts and options are kept as written. What mdbook-quiz itself would
//! reject (an `answerIndex` past the options, both `answerIndex` and `sortAnswers`, an empty
//! answer list, a `multipart` key that is not defined, a repeated id), and what tandem's checker
//! would reject (an option twice, a choice question with one option), is reported at the TOML
//! file's line; the question is fixed where the fix is certain and left out where it is not.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Diagnostic;

#[derive(Deserialize)]
struct RawQuiz {
    #[serde(default)]
    questions: Vec<Spanned<RawQuestion>>,
    multipart: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawQuestion {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    multipart: Option<String>,
    prompt: RawPrompt,
    answer: RawAnswer,
    context: Option<String>,
    prompt_explanation: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPrompt {
    prompt: Option<String>,
    distractors: Option<Vec<String>>,
    answer_index: Option<Spanned<usize>>,
    sort_answers: Option<bool>,
    program: Option<String>,
    response: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    answer: Option<OneOrMany>,
    alternatives: Option<Vec<String>>,
    does_compile: Option<bool>,
    stdout: Option<String>,
    line_number: Option<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A tandem quiz file, as written (SPEC §3): only the keys an imported quiz uses.
#[derive(Serialize)]
pub struct QuizYaml {
    pub title: String,
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<&'static str>,
    pub weight: i64,
    pub questions: Vec<QuestionYaml>,
}

#[derive(Serialize)]
pub struct QuestionYaml {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionYaml>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Serialize)]
pub struct OptionYaml {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub correct: bool,
}

/// A converted quiz, or the reason there is none; problems found either way.
pub struct Converted {
    pub quiz: Option<QuizYaml>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts the mdbook-quiz file `text` (at `display`, relative to the book, for messages).
pub fn convert(display: &Path, text: &str, title: &str, weight: i64) -> Converted {
    let mut diagnostics = Vec::new();
    let raw: RawQuiz = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let mut d =
                Diagnostic::error(display, format!("not an mdbook-quiz file: {}", e.message().trim()));
            if let Some(span) = e.span() {
                d = d.at_offset(text, span.start, span.end.saturating_sub(span.start));
            }
            diagnostics.push(d.with_hint("mdbook-quiz would reject it too; fix the TOML and import again"));
            return Converted { quiz: None, diagnostics };
        }
    };
    let mut questions = Vec::new();
    let mut pinned_order = false;
    let mut ids = HashSet::new();
    for (n, spanned) in raw.questions.iter().enumerate() {
        let at = |d: Diagnostic| d.at_offset(text, spanned.span().start, spanned.span().len());
        let warn = |message: String, hint: &str| {
            at(Diagnostic::warning(display, message)).with_hint(hint.to_string())
        };
        let q = spanned.get_ref();
        let number = n + 1;
        if let Some(id) = &q.id
            && !ids.insert(id.clone())
        {
            diagnostics.push(warn(
                format!("question {number}: id `{id}` is used twice (mdbook-quiz rejects this)"),
                "tandem numbers questions itself, so the import goes on; give each question its own id in the book",
            ));
        }
        let mut prompt = q.prompt.prompt.clone().unwrap_or_default();
        if let Some(key) = &q.multipart {
            match raw.multipart.as_ref().and_then(|m| m.get(key)) {
                Some(shared) => prompt = format!("{}\n\n{}", shared.trim_end(), prompt),
                None => diagnostics.push(warn(
                    format!("question {number}: `multipart = \"{key}\"` is not defined under [multipart]"),
                    "mdbook-quiz rejects this; the question was imported without the shared text",
                )),
            }
        }
        if q.prompt_explanation == Some(true) {
            diagnostics.push(warn(
                format!("question {number}: `promptExplanation` (asking readers to justify their answer) is not carried over"),
                "tandem never sends answers anywhere, so there is no one to read a justification",
            ));
        }
        let explanation = q.context.clone().filter(|c| !c.trim().is_empty());
        let question = match q.kind.as_str() {
            "MultipleChoice" => {
                let answers: Vec<String> = match &q.answer.answer {
                    Some(OneOrMany::One(a)) => vec![a.clone()],
                    Some(OneOrMany::Many(list)) => list.clone(),
                    None => Vec::new(),
                };
                let several = matches!(q.answer.answer, Some(OneOrMany::Many(_)));
                if answers.is_empty() {
                    diagnostics.push(warn(
                        format!("question {number}: a MultipleChoice question with no `answer.answer` was left out"),
                        "mdbook-quiz rejects it too: there must be at least one correct answer",
                    ));
                    continue;
                }
                let mut seen: HashSet<String> = HashSet::new();
                let mut options: Vec<OptionYaml> = Vec::new();
                for (text, correct) in answers
                    .iter()
                    .map(|a| (a, true))
                    .chain(q.prompt.distractors.iter().flatten().map(|d| (d, false)))
                {
                    if !seen.insert(crate::quiz::normalize(text)) {
                        diagnostics.push(warn(
                            format!("question {number}: the option {text:?} is listed twice; the second was dropped"),
                            "readers could not tell the two apart; remove one in the book",
                        ));
                        continue;
                    }
                    options.push(OptionYaml { text: text.clone(), correct });
                }
                let wrong = options.iter().filter(|o| !o.correct).count();
                if options.len() < 2 || (several && wrong == 0) {
                    diagnostics.push(warn(
                        format!("question {number}: a MultipleChoice question needs a wrong option (distractors); it was left out"),
                        "add `prompt.distractors` in the book and import again",
                    ));
                    continue;
                }
                let index = q.prompt.answer_index.as_ref().map(|s| *s.get_ref());
                if index.is_some() && q.prompt.sort_answers.is_some() {
                    diagnostics.push(warn(
                        format!("question {number}: both `answerIndex` and `sortAnswers` (mdbook-quiz rejects this)"),
                        "the options were sorted; keep one of the two in the book",
                    ));
                }
                if q.prompt.sort_answers == Some(true) {
                    pinned_order = true;
                    options.sort_by(|a, b| a.text.cmp(&b.text));
                } else if let Some(index) = index {
                    pinned_order = true;
                    if index > wrong {
                        diagnostics.push(warn(
                            format!("question {number}: `answerIndex = {index}` is past the last option (mdbook-quiz rejects this)"),
                            "the answer was put last; fix the index in the book",
                        ));
                    }
                    place_answers(&mut options, index.min(wrong));
                } else {
                    // mdbook-quiz shuffles; without a script, the page shows the YAML order, so the
                    // right answer should not always come first there either.
                    let at = (fnv1a(&prompt) % (wrong as u64 + 1)) as usize;
                    place_answers(&mut options, at);
                }
                QuestionYaml {
                    kind: if several { "multiple" } else { "single" },
                    prompt,
                    options: Some(options),
                    answer: None,
                    accept: None,
                    explanation,
                }
            }
            "ShortAnswer" => {
                let mut accept: Vec<String> = Vec::new();
                let mut seen = HashSet::new();
                let first = match &q.answer.answer {
                    Some(OneOrMany::One(a)) => vec![a.clone()],
                    Some(OneOrMany::Many(list)) => list.clone(),
                    None => Vec::new(),
                };
                for a in first.into_iter().chain(q.answer.alternatives.clone().unwrap_or_default()) {
                    if !a.trim().is_empty() && seen.insert(crate::quiz::normalize(&a)) {
                        accept.push(a);
                    }
                }
                if accept.is_empty() {
                    diagnostics.push(warn(
                        format!("question {number}: a ShortAnswer question with no answer was left out"),
                        "give it `answer.answer` in the book",
                    ));
                    continue;
                }
                if let Some(response @ ("long" | "code")) = q.prompt.response.as_deref() {
                    diagnostics.push(warn(
                        format!("question {number}: `response = \"{response}\"` becomes a one-line answer checked against `accept`"),
                        "tandem's text questions are one line; consider rewording it as a choice question",
                    ));
                }
                QuestionYaml {
                    kind: "text",
                    prompt,
                    options: None,
                    answer: None,
                    accept: Some(accept),
                    explanation,
                }
            }
            "Tracing" => {
                let Some(program) = q.prompt.program.as_deref() else {
                    diagnostics.push(warn(
                        format!(
                            "question {number}: a Tracing question with no `prompt.program` was left out"
                        ),
                        "give it the program to trace",
                    ));
                    continue;
                };
                let Some(does_compile) = q.answer.does_compile else {
                    diagnostics.push(warn(
                        format!(
                            "question {number}: a Tracing question with no `answer.doesCompile` was left out"
                        ),
                        "say whether the program compiles",
                    ));
                    continue;
                };
                let fence = super::include::fence_for(program);
                let mut text = if prompt.trim().is_empty() {
                    String::new()
                } else {
                    format!("{}\n\n", prompt.trim_end())
                };
                text.push_str(&format!(
                    "Does this program compile?\n\n{fence}rust\n{}\n{fence}\n",
                    program.trim_end_matches('\n')
                ));
                let mut why = Vec::new();
                match (does_compile, &q.answer.stdout, q.answer.line_number) {
                    (true, Some(stdout), _) => {
                        let out_fence = super::include::fence_for(stdout);
                        why.push(format!(
                            "It compiles, and prints:\n\n{out_fence}text\n{}\n{out_fence}",
                            stdout.trim_end_matches('\n')
                        ));
                    }
                    (true, None, _) => why.push("It compiles.".to_string()),
                    (false, _, Some(line)) => {
                        why.push(format!("It does not compile: the error is at line {line}."))
                    }
                    (false, _, None) => why.push("It does not compile.".to_string()),
                }
                if let Some(context) = &explanation {
                    why.push(context.clone());
                }
                QuestionYaml {
                    kind: "truefalse",
                    prompt: text,
                    options: None,
                    answer: Some(does_compile),
                    accept: None,
                    explanation: Some(why.join("\n\n")),
                }
            }
            other => {
                diagnostics.push(warn(
                    format!("question {number}: the question type `{other}` is unknown; it was left out"),
                    "mdbook-quiz has MultipleChoice, ShortAnswer and Tracing",
                ));
                continue;
            }
        };
        questions.push(question);
    }
    if questions.is_empty() {
        diagnostics.push(
            Diagnostic::error(display, "the quiz has no question that could be imported").with_hint(
                "mdbook-quiz needs at least one question too; the page shows a note where it stood",
            ),
        );
        return Converted { quiz: None, diagnostics };
    }
    let shuffle = (!pinned_order && questions.iter().any(|q| q.options.is_some())).then_some("options");
    Converted {
        quiz: Some(QuizYaml { title: title.to_string(), mode: "knowledge", shuffle, weight, questions }),
        diagnostics,
    }
}

/// Moves the correct options (listed first) so that they start at `index`.
fn place_answers(options: &mut Vec<OptionYaml>, index: usize) {
    let correct = options.iter().filter(|o| o.correct).count();
    let answers: Vec<OptionYaml> = options.drain(..correct).collect();
    let at = index.min(options.len());
    options.splice(at..at, answers);
}

/// A stable hash (FNV-1a), so that the same book imports to the same files every time.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(toml: &str) -> (String, Vec<String>) {
        let c = convert(Path::new("quizzes/q.toml"), toml, "Quiz", 10);
        let problems = c.diagnostics.iter().map(|d| format!("{}: {}", d.position(), d.message)).collect();
        (c.quiz.map(|q| yaml_serde::to_string(&q).unwrap()).unwrap_or_default(), problems)
    }

    #[test]
    fn multiple_choice_with_a_pinned_answer() {
        let (y, p) = yaml(
            "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"1 + 1?\"\nprompt.distractors = [\"1\", \"3\"]\nprompt.answerIndex = 1\nanswer.answer = \"2\"\ncontext = \"Count.\"\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert!(!y.contains("shuffle"), "{y}");
        let one = y.find("text: '1'").unwrap();
        let two = y.find("text: '2'").unwrap();
        let three = y.find("text: '3'").unwrap();
        assert!(one < two && two < three, "{y}");
        assert!(y.contains("explanation: Count."), "{y}");
    }

    #[test]
    fn an_answer_list_is_a_multiple_question() {
        let (y, _) = yaml(
            "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"c\"]\nanswer.answer = [\"a\", \"b\"]\n",
        );
        assert!(y.contains("type: multiple") && y.contains("shuffle: options"), "{y}");
    }

    #[test]
    fn what_mdbook_quiz_rejects_is_reported_on_its_line() {
        let src = "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"a\"]\nprompt.answerIndex = 5\nanswer.answer = \"a\"\n\n[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"Q\"\nprompt.distractors = []\nanswer.answer = []\n\n[[questions]]\ntype = \"Essay\"\nprompt.prompt = \"R\"\nanswer.answer = \"x\"\n";
        let (_, p) = yaml(src);
        assert_eq!(
            p,
            [
                "quizzes/q.toml:1:1: question 1: the option \"a\" is listed twice; the second was dropped",
                "quizzes/q.toml:1:1: question 1: a MultipleChoice question needs a wrong option (distractors); it was left out",
                "quizzes/q.toml:8:1: question 2: a MultipleChoice question with no `answer.answer` was left out",
                "quizzes/q.toml:14:1: question 3: the question type `Essay` is unknown; it was left out",
                "quizzes/q.toml: the quiz has no question that could be imported",
            ]
        );
    }

    #[test]
    fn tracing_becomes_a_does_it_compile_question() {
        let (y, _) = yaml(
            "[[questions]]\ntype = \"Tracing\"\nprompt.program = \"\"\"\nfn main() {\n  println!(\\\"hi\\\");\n}\n\"\"\"\nanswer.doesCompile = true\nanswer.stdout = \"hi\"\n",
        );
        assert!(y.contains("type: truefalse") && y.contains("answer: true"), "{y}");
        assert!(y.contains("Does this program compile?") && y.contains("```rust"), "{y}");
        assert!(y.contains("It compiles, and prints:"), "{y}");
    }
}
