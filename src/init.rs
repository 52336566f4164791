//! `tandem init`: a new site that builds as it is, using the theme embedded in the binary.

use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"title = "My guide"
description = "Guides that teach, with quizzes that check."
base_url = "https://example.org"
language = "en"
theme = "default"

[build]
output_dir = "public"

[markdown]
smart_punctuation = true
"#,
    ),
    (
        "content/_index.md",
        "---\ntitle: My guide\ndescription: Start here.\n---\n\nWelcome! Read [the first guide](guides/first-steps.md), then try [the quiz](quizzes/check-yourself.yaml).\n",
    ),
    ("content/guides/_index.md", "---\ntitle: Guides\ndescription: Read these in order.\n---\n"),
    (
        "content/guides/first-steps.md",
        "---\ntitle: First steps\ndescription: What this guide covers.\nweight: 10\n---\n\n## Why this matters\n\nWrite your guide in Markdown. Link to other guides by their file, like [this one](first-steps.md#why-this-matters).\n\n{{ quiz(id=\"check-yourself\") }}\n\n## Next steps\n\n- Edit `content/guides/first-steps.md`.\n- Run `tandem serve --watch` and watch the page change.\n",
    ),
    ("content/quizzes/_index.md", "---\ntitle: Quizzes\ndescription: Check what you know.\n---\n"),
    (
        "content/quizzes/check-yourself.yaml",
        r#"title: Check yourself
description: Two quick questions.
mode: knowledge
pass: 50
questions:
  - id: format
    type: single
    prompt: Which format are tandem guides written in?
    options:
      - text: Markdown
        correct: true
      - text: Word documents
        feedback: Guides are plain text files in Markdown.
    explanation: Guides are Markdown files under `content/`.
  - id: private
    type: truefalse
    prompt: Quiz answers are sent to a server for scoring.
    answer: false
    explanation: Scoring happens in the reader's browser; answers never leave it.
outcomes:
  - id: passed
    title: Well done
    when: { score: { min: 50 } }
    body: You know the basics.
    links: [../guides/first-steps.md]
  - id: again
    title: Have another look
    when: { score: { below: 50 } }
    body: Read the first guide again.
    links: [../guides/first-steps.md]
"#,
    ),
];

/// Creates the site in `dir`, which must not exist or must be empty. Returns the folder.
pub fn init(dir: &Path) -> Result<PathBuf, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!("{} already exists and is not empty; choose a new folder", dir.display()));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    std::fs::create_dir_all(dir.join("static")).map_err(|e| format!("cannot create static/: {e}"))?;
    Ok(dir.to_path_buf())
}
