//! Tera, set up once per build: the theme's templates with the site's overrides, and the
//! site-wide globals. Template errors become diagnostics pointing into the template file.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::load::Theme;
use crate::model::Site;

const TERA_HELP: &str = "fix the template; Tera's syntax is described at https://keats.github.io/tera/";

pub struct Templates {
    tera: Tera,
    /// Template name → its file, to point errors at it.
    files: HashMap<String, SourceFile>,
}

impl Templates {
    /// Compiles the theme's templates with the site's overrides.
    pub fn compile(site: &Site) -> Result<Templates, Vec<Diagnostic>> {
        Templates::compile_with(&site.theme, super::globals(site))
    }

    /// Compiles a theme's templates with the given site-wide values.
    pub(super) fn compile_with(theme: &Theme, globals: HashMap<&'static str, tera::Value>) -> Result<Templates, Vec<Diagnostic>> {
        // Later templates of the same name (the site's own) replace the theme's.
        let mut files: HashMap<String, SourceFile> = HashMap::new();
        for template in &theme.templates {
            files.insert(template.name.clone(), template.file.clone());
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".rdf"]);
        *tera.global_context() = Context::new();
        for (name, value) in globals {
            tera.global_context().insert_value(name, value);
        }
        let mut templates = Templates { tera, files };
        let sources: Vec<(String, String)> =
            templates.files.iter().map(|(name, file)| (name.clone(), file.text.to_string())).collect();
        if let Err(error) = templates.tera.add_raw_templates(sources) {
            return Err(templates.compile_problems(&error));
        }
        Ok(templates)
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        if !self.tera.contains_template(name) {
            return Err(Diagnostic::in_file(PathBuf::from("templates").join(name), format!("the template `{name}` is missing"))
                .with_help(format!("add templates/{name}, or use a theme that has it (`theme = \"default\"`)")));
        }
        self.tera.render(name, context).map_err(|error| self.diagnostic(&error, Some(name)))
    }

    /// A circle of includes or extends, shown where the template names the next one.
    fn circle(&self, template: &str, chain: &[String], keyword: &str, message: &str) -> Diagnostic {
        let next = chain.iter().skip_while(|name| *name != template).nth(1).or(chain.first()).map_or(template, String::as_str);
        let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
        if names.last() != Some(&template) {
            names.push(template); // show the circle closed
        }
        let message = format!("{message}: {}", names.join(" → "));
        let help = "a template cannot include or extend itself, directly or through others: break the circle";
        let Some(file) = self.files.get(template) else {
            return Diagnostic::in_file(PathBuf::from("templates").join(template), message).with_help(help);
        };
        // The statement naming the next template: `{% include "next" %}` or `{% extends "next" %}`.
        let span = file
            .text
            .match_indices(keyword)
            .find(|(at, _)| file.text[at + keyword.len()..].trim_start().trim_start_matches(['"', '\'']).starts_with(next))
            .map_or(0..0, |(at, _)| at..at + keyword.len());
        Diagnostic::at(file, span, message).with_help(help)
    }

    /// Tera checks the names a template uses (includes, filters, functions) only once
    /// all templates are in, and reports every miss as one message made of its own
    /// reports (`error: Unknown template …` / `--> page.html:3:12`): read them back into
    /// one diagnostic each.
    fn compile_problems(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = error.kind() else { return vec![self.diagnostic(error, None)] };
        let mut problems = Vec::new();
        let mut message = None;
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("error: ") {
                message = Some(rest.to_owned());
            } else if let (Some(place), Some(text)) = (line.trim_start().strip_prefix("--> "), message.take()) {
                let mut parts = place.rsplitn(3, ':');
                let (column, line, name) = (parts.next(), parts.next(), parts.next());
                let position = line.and_then(|line| line.parse().ok()).zip(column.and_then(|column| column.parse().ok()));
                match (name.and_then(|name| self.files.get(name)), position) {
                    (Some(file), Some((line, column))) => {
                        let offset = file.offset(line, column);
                        problems.push(Diagnostic::at(file, offset..offset + 1, text).with_help(TERA_HELP));
                    }
                    _ => problems.push(Diagnostic::in_file(PathBuf::from("templates"), format!("{place}: {text}")).with_help(TERA_HELP)),
                }
            }
        }
        if problems.is_empty() {
            problems.push(self.diagnostic(error, None));
        }
        problems
    }

    fn diagnostic(&self, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let template_path = |name: &str| {
            self.files.get(name).map_or_else(|| PathBuf::from("templates").join(name), |file| file.path.clone())
        };
        let help = TERA_HELP;
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let message = report.message().to_owned();
                match self.files.get(report.filename()) {
                    Some(file) => Diagnostic::at(file, report.span().range.clone(), message),
                    None => Diagnostic::at_line(
                        template_path(report.filename()),
                        report.span().start_line,
                        report.span().start_col + 1,
                        message,
                    ),
                }
                .with_help(help)
            }
            ErrorKind::CircularInclude { tpl, include_chain } => {
                self.circle(tpl, include_chain, "include", "the templates include each other in a circle")
            }
            ErrorKind::CircularExtend { tpl, inheritance_chain } => {
                self.circle(tpl, inheritance_chain, "extends", "the templates extend each other in a circle")
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::in_file(
                template_path(current),
                format!("this template extends `{parent}`, which does not exist"),
            )
            .with_help("add the parent template, or extend one the theme has (`base.html`)"),
            ErrorKind::TemplateNotFound(name) => {
                let location = rendering.map_or_else(|| PathBuf::from("templates"), template_path);
                Diagnostic::in_file(location, format!("the template `{name}` is missing")).with_help(help)
            }
            _ => {
                let location = rendering.map_or_else(|| PathBuf::from("templates"), template_path);
                Diagnostic::in_file(location, error.to_string()).with_help(help)
            }
        }
    }
}
