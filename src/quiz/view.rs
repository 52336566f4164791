//! What the theme's `partials/quiz.html` gets as `quiz` (contract §4): the quiz with its
//! Markdown rendered by the site's renderer, its links resolved, and its client data escaped.
//!
//! Fields are always present (null or empty when they do not apply) so templates can test them
//! without tripping over undefined values. No user-facing word is made here: labels for presets,
//! true/false and buttons come from the template, so a site can translate them.

use serde::Serialize;

use super::client::QuizScript;
use super::json::script_json;
pub use super::kinds::{KindView, OptionView, ScalePoint, ScaleView};
use super::model::*;

/// Stands in the element ids of an embedded quiz's HTML (see [`QuizView::embed_marker`]) until
/// the embed is placed: the first embed of a quiz on a page drops it, the n-th turns it into
/// `n-`, so a quiz embedded twice has no id twice (and a label never checks the other copy's
/// input). Control characters cannot occur in a quiz's YAML, so nothing else matches it.
pub const EMBED_MARKER: &str = "\u{1}embed\u{1}";

/// [`EMBED_MARKER`] in the `n`-th (1-based) embed of a quiz on one page.
pub fn embed_ids(html: &str, n: usize) -> String {
    html.replace(EMBED_MARKER, &if n <= 1 { String::new() } else { format!("{n}-") })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizView {
    pub id: String,
    /// [`EMBED_MARKER`], for the template to put in the element ids of embeds (not of the
    /// quiz's own page, which shows it once).
    pub embed_marker: &'static str,
    pub title: String,
    /// `"knowledge"` or `"assessment"`.
    pub mode: &'static str,
    pub display: Display,
    /// The quiz's own page.
    pub page_url: String,
    pub description_html: String,
    pub intro_html: String,
    pub disclaimer_html: String,
    pub pass: Option<f64>,
    /// Knowledge: how many of the questions each reader gets (the script picks which).
    pub draw: Option<usize>,
    /// Whether answers are kept in the reader's browser (the template says so, either way).
    pub remember: bool,
    /// A Check button per question, and "Retry the ones I missed".
    pub practice: bool,
    /// After scoring, a link that re-opens the result.
    pub share: bool,
    /// Whether the quiz needs the whole quiz script (`quiz.min.js`) rather than
    /// `quiz-basic.min.js`: the partial marks its form `data-quiz-extras`, which page templates
    /// look for to pick the script.
    pub extras: bool,
    /// The escaped client data, to print with `| safe` inside the script element.
    pub data_json: String,
    pub questions: Vec<QuestionView>,
    pub dimensions: Vec<DimensionView>,
    pub outcomes: Vec<OutcomeView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionView {
    pub id: String,
    /// 1-based position in the file.
    pub number: usize,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub required: bool,
    pub prompt_html: String,
    pub explanation_html: String,
    /// `""` when the question has no hint.
    pub hint_html: String,
    /// The section the question `tests`, to link to when it was missed: its URL with the
    /// `#anchor`, and the heading's text. `None` without `tests` (or when the link is broken,
    /// which the build reports).
    pub review: Option<LinkView>,
    /// Knowledge: what a right answer earns.
    pub points: Option<f64>,
    /// The fields of the question's type (its module's view).
    #[serde(flatten)]
    pub of_kind: KindView,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionView {
    pub id: String,
    /// `""` for knowledge's implicit `score`: the template names it.
    pub label: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeView {
    pub id: String,
    pub title: String,
    pub body_html: String,
    /// The links that resolve; broken ones are left out (the build reports them via
    /// [`Quiz::outcome_links`]).
    pub links: Vec<LinkView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    pub url: String,
    pub title: String,
}

/// Builds the template view of `quiz` shown on `page_url`. `md(text, inline)` renders Markdown
/// (inline: without a wrapping paragraph); `link(target)` resolves an outcome link's relative
/// source path to its page's URL and title, or `None` when it is broken; `section(tests)` does
/// the same for a question's `tests` link, giving the heading's text as the title.
pub fn view(
    quiz: &Quiz,
    page_url: &str,
    md: &dyn Fn(&str, bool) -> String,
    link: &dyn Fn(&str) -> Option<(String, String)>,
    section: &dyn Fn(&SectionLink) -> Option<(String, String)>,
) -> QuizView {
    let block = |m: &Option<Markdown>| m.as_ref().map_or_else(String::new, |m| md(&m.text, false));
    QuizView {
        id: quiz.id.clone(),
        embed_marker: EMBED_MARKER,
        title: quiz.title.clone(),
        mode: quiz.mode.name(),
        display: quiz.display,
        page_url: page_url.to_string(),
        // Plain text, as in every other place it shows (listings, search, the meta description).
        description_html: quiz
            .description
            .as_ref()
            .map_or_else(String::new, |m| super::kinds::text::escape_html(&m.text)),
        intro_html: block(&quiz.intro),
        disclaimer_html: block(&quiz.disclaimer),
        pass: quiz.mode.pass(),
        draw: quiz.draw,
        remember: quiz.remember,
        practice: quiz.practice,
        share: quiz.share,
        extras: quiz.script() == QuizScript::Full,
        data_json: script_json(&quiz.client_data()),
        questions: quiz.questions.iter().enumerate().map(|(i, q)| question_view(i, q, md, section)).collect(),
        dimensions: quiz
            .dimensions
            .iter()
            .map(|d| DimensionView { id: d.id.clone(), label: d.label.clone(), min: d.min, max: d.max })
            .collect(),
        outcomes: quiz
            .outcomes
            .iter()
            .map(|o| OutcomeView {
                id: o.id.clone(),
                title: o.title.clone(),
                body_html: block(&o.body),
                links: o
                    .links
                    .iter()
                    .filter_map(|l| link(&l.target))
                    .map(|(url, title)| LinkView { url, title })
                    .collect(),
            })
            .collect(),
    }
}

fn question_view(
    index: usize,
    q: &Question,
    md: &dyn Fn(&str, bool) -> String,
    section: &dyn Fn(&SectionLink) -> Option<(String, String)>,
) -> QuestionView {
    QuestionView {
        id: q.id.clone(),
        number: index + 1,
        kind: q.kind.name(),
        required: q.required,
        prompt_html: md(&q.prompt.text, false),
        explanation_html: q.explanation.as_ref().map_or_else(String::new, |m| md(&m.text, false)),
        hint_html: q.hint.as_ref().map_or_else(String::new, |m| md(&m.text, false)),
        review: q.tests.as_ref().and_then(section).map(|(url, title)| LinkView { url, title }),
        points: q.points,
        of_kind: q.kind.view(md, q.points.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::testing::quiz;

    /// A stand-in renderer that shows what was rendered and how.
    fn md(text: &str, inline: bool) -> String {
        if inline { format!("<i>{text}</i>") } else { format!("<p>{text}</p>") }
    }

    fn no_section(_: &SectionLink) -> Option<(String, String)> {
        None
    }

    fn link(target: &str) -> Option<(String, String)> {
        (target == "../guides/boundaries.md")
            .then(|| ("/guides/boundaries/".to_string(), "Boundaries".to_string()))
    }

    #[test]
    fn knowledge_view_renders_markdown_and_review_answers() {
        let view = view(
            &quiz(include_str!("fixtures/knowledge-basics.yaml")),
            "/quizzes/basics/",
            &md,
            &link,
            &no_section,
        );
        assert_eq!((view.mode, view.display, view.pass), ("knowledge", Display::Step, Some(70.0)));
        assert_eq!(view.page_url, "/quizzes/basics/");
        assert_eq!(view.description_html, "Five minutes on what boundaries are, and are not.");
        assert!(view.intro_html.starts_with("<p>Check what"), "{}", view.intro_html);
        assert_eq!(view.disclaimer_html, "");
        assert!(view.data_json.starts_with('{') && !view.data_json.contains('<'));

        let single = &view.questions[0];
        assert_eq!(
            (single.id.as_str(), single.number, single.kind, single.required),
            ("definition", 1, "single", true)
        );
        assert_eq!(single.of_kind.options[1].value, "1");
        assert_eq!(single.of_kind.options[1].text_html, "<i>a limit on what **you** will do or accept</i>");
        assert!(single.of_kind.options[1].correct);
        assert_eq!(
            single.of_kind.options[0].feedback_html,
            "<p>Rules are about the other person's behaviour.</p>"
        );
        assert_eq!(single.of_kind.answer_html, single.of_kind.options[1].text_html);
        assert_eq!(
            single.explanation_html,
            "<p>A boundary describes your own actions, not someone else's.</p>"
        );

        let multiple = &view.questions[1];
        assert_eq!(multiple.of_kind.answer_html.matches("<i>").count(), 3);
        assert!(multiple.of_kind.partial);
        assert_eq!(multiple.points, Some(2.0));
        let truefalse = &view.questions[3];
        assert_eq!(
            (truefalse.of_kind.answer.clone(), truefalse.of_kind.answer_html.as_str()),
            (serde_json::json!(false), "")
        );
        assert_eq!(view.questions[4].of_kind.answer_html, "boundaries");
        let number = &view.questions[5];
        assert_eq!(
            (number.of_kind.answer.clone(), number.of_kind.tolerance, number.of_kind.answer_html.as_str()),
            (serde_json::json!(3.0), Some(0.0), "3")
        );

        assert_eq!(view.dimensions[0].id, "score");
        assert_eq!(view.outcomes[0].links.len(), 1);
        assert_eq!(view.outcomes[0].links[0].url, "/guides/boundaries/");
        assert_eq!(view.outcomes[0].body_html, "<p>Go back over the guide, then try again.</p>");
    }

    #[test]
    fn assessment_view_has_scales_dimensions_and_drops_broken_links() {
        let view =
            view(&quiz(include_str!("fixtures/assessment-quadrants.yaml")), "/q/", &md, &link, &no_section);
        let scale = &view.questions[0];
        assert_eq!(
            (scale.of_kind.min, scale.of_kind.max, scale.of_kind.answer_html.as_str()),
            (Some(1), Some(5), "")
        );
        let points = &scale.of_kind.scale.as_ref().unwrap().points;
        assert_eq!(scale.of_kind.scale.as_ref().unwrap().preset, "agree5");
        assert_eq!((points.len(), points[0].value, points[0].label.as_str()), (5, 1, ""));
        assert_eq!(view.questions[6].of_kind.options.len(), 4);
        assert!(view.questions[6].of_kind.options.iter().all(|o| !o.correct));
        assert_eq!(view.dimensions[1].label, "Autonomy");
        assert_eq!((view.dimensions[1].min, view.dimensions[1].max), (1.0, 5.0));
        // `../guides/building-interdependence.md` does not resolve here: left out of the view…
        assert!(view.outcomes[0].links.is_empty());
        // …and the build can report it where it was written.
        let quiz = quiz(include_str!("fixtures/assessment-quadrants.yaml"));
        let (target, offset) = quiz.outcome_links()[0];
        assert_eq!(target, "../guides/building-interdependence.md");
        let src = include_str!("fixtures/assessment-quadrants.yaml");
        assert!(src[offset..].starts_with("../guides/building-interdependence.md"));
    }

    #[test]
    fn each_embed_gets_its_own_ids() {
        let html =
            format!(r#"<input id="quiz-x-{EMBED_MARKER}q1-0"><label for="quiz-x-{EMBED_MARKER}q1-0">"#);
        assert_eq!(embed_ids(&html, 1), r#"<input id="quiz-x-q1-0"><label for="quiz-x-q1-0">"#);
        assert_eq!(embed_ids(&html, 2), r#"<input id="quiz-x-2-q1-0"><label for="quiz-x-2-q1-0">"#);
    }

    #[test]
    fn custom_scales_carry_their_labels() {
        let src = "title: T\nmode: assessment\ndimensions: [{ id: x }]\nquestions:\n".to_string()
            + &"  - { type: scale, prompt: P, dimension: x, scale: { min: 0, max: 2, labels: [Never, Sometimes, Often] } }\n".repeat(3)
            + "outcomes:\n  - { id: all, title: A, when: {} }\n";
        let view = view(&quiz(&src), "/q/", &md, &link, &no_section);
        let scale = view.questions[0].of_kind.scale.as_ref().unwrap();
        assert_eq!(scale.preset, "custom");
        let labels: Vec<&str> = scale.points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["Never", "Sometimes", "Often"]);
    }

    #[test]
    fn every_markdown_string_is_listed_with_where_it_was_written() {
        let src = include_str!("fixtures/knowledge-basics.yaml");
        let quiz = quiz(src);
        let all = quiz.markdown();
        // description, intro, 6 prompts, 3 + 4 + 3 option texts, 1 feedback, 2 explanations, 3 bodies.
        assert_eq!(all.len(), 1 + 1 + 6 + 10 + 1 + 2 + 3);
        for (markdown, _) in &all {
            let first_line = markdown.text.lines().next().unwrap();
            assert!(src[markdown.offset..].contains(first_line), "{first_line:?}");
        }
        assert!(all.windows(2).all(|w| w[0].0.offset < w[1].0.offset), "in file order");
    }
}
