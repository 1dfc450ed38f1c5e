//! Tera, set up once per build: the theme's templates with the site's overrides, and the
//! site-wide globals. Template errors become diagnostics pointing into the template file.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::model::Site;

pub struct Templates {
    tera: Tera,
    /// Template name → its file, to point errors at it.
    files: HashMap<String, SourceFile>,
}

impl Templates {
    /// Compiles the theme's templates with the site's overrides.
    pub fn compile(site: &Site) -> Result<Templates, Vec<Diagnostic>> {
        // Later templates of the same name (the site's own) replace the theme's.
        let mut files: HashMap<String, SourceFile> = HashMap::new();
        for template in &site.theme.templates {
            files.insert(template.name.clone(), template.file.clone());
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        *tera.global_context() = Context::new();
        for (name, value) in super::globals(site) {
            tera.global_context().insert_value(name, value);
        }
        let mut templates = Templates { tera, files };
        let sources: Vec<(String, String)> =
            templates.files.iter().map(|(name, file)| (name.clone(), file.text.to_string())).collect();
        if let Err(error) = templates.tera.add_raw_templates(sources) {
            return Err(vec![templates.diagnostic(&error, None)]);
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

    fn diagnostic(&self, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let template_path = |name: &str| {
            self.files.get(name).map_or_else(|| PathBuf::from("templates").join(name), |file| file.path.clone())
        };
        let help = "fix the template; Tera's syntax is described at https://keats.github.io/tera/";
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
