//! Per format: each literal shape is flagged, each reference shape is not; values are
//! never shown. Every value written here is this file's own (no public repository's).
#![allow(clippy::unwrap_used)]

use crate::{Report, Rule, ScanOptions, scan_source};
use std::path::Path;

fn scan(name: &str, src: &str) -> Report {
    scan_source(Path::new(name), src.as_bytes(), &ScanOptions::default())
}

/// The 1-based lines flagged, checking that no value marked `Sx..` (`Sa1`, `Sb2`, ...)
/// appears in any output.
fn lines(name: &str, src: &str) -> Vec<usize> {
    let report = scan(name, src);
    let outputs = [report.render_human(), format!("{:?}", report.findings)];
    for word in src.split(|c: char| !c.is_alphanumeric() && c != '-') {
        if word.starts_with("Sx") && word.len() > 3 {
            for out in &outputs {
                assert!(!out.contains(word), "{name}: leaked {word}:\n{out}");
            }
        }
    }
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    report.findings.iter().map(|f| f.line).collect()
}

#[test]
fn dotenv_literals_and_references() {
    let src = "\
# JWT_SECRET=Sxcomment
JWT_SECRET=Sxplain1
JWT_SECRET = \"Sxquoted2\"
export JWT_SECRET=Sxexport3
AUTH_SECRET='Sxsingle4' # trailing comment
JWT_SECRET=
JWT_SECRET=${OTHER}
JWT_SECRET_FILE=/run/secrets/jwt
SECRET_KEY=Sxgenericnojwt
TOKEN_SECRET=\"Sxmulti
line\"
JWT_SECRET=${JWT_SECRET:-Sxdefault12}
";
    assert_eq!(lines(".env", src), [2, 3, 4, 5, 10, 12]);
    assert_eq!(lines("prod.env", src).len(), 6);
    assert_eq!(lines(".env.production", src).len(), 6);
}

#[test]
fn crlf_bom_and_utf16_are_read() {
    let src = "\u{feff}A=1\r\nJWT_SECRET=Sxcrlf\r\n";
    assert_eq!(lines(".env", src), [2]);
    let report = scan(".env", src);
    assert!(!report.findings[0].masked_line.contains('\r'));
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "JWT_SECRET=Sxutf16\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let report = scan_source(Path::new(".env"), &utf16, &ScanOptions::default());
    assert_eq!(report.findings.len(), 1);
    // Not UTF-8 at all: read lossily, never a panic, the secret still found.
    let report = scan_source(
        Path::new(".env"),
        b"X=\xff\xfe\nJWT_SECRET=abcdef\n",
        &ScanOptions::default(),
    );
    assert_eq!(report.findings.len(), 1);
}

#[test]
fn templates_flag_working_values_not_instructions() {
    let src = "\
JWT_SECRET=
JWT_SECRET=<generate-me>
JWT_SECRET=CHANGE_ME_PLEASE
JWT_SECRET=your-jwt-secret-here
JWT_SECRET=put-a-long-random-string-here
JWT_SECRET=xxxxxxxx
JWT_SECRET=...
JWT_SECRET=secret
JWT_SECRET=Sxworking
JWT_SECRET=XXXX-XXXX
JWT_SECRET=Sxb3duVmFsdWVeXRlc3Q0MQ==
";
    for name in [
        ".env.example",
        ".env.sample",
        "config.toml.dist",
        ".env.template",
    ] {
        let src = if name.ends_with("dist") {
            src.replace("JWT_SECRET=", "jwt_secret = ")
                .replace("= <", "= \"<")
                .replace("me>", "me>\"")
        } else {
            src.to_owned()
        };
        let found = lines(name, &src);
        // A random or base64 value is working even if its case splits off an `x` word.
        assert_eq!(found, [8, 9, 11], "{name}");
    }
    // Outside a template, an instruction that works as a value is a finding.
    assert_eq!(lines(".env", src).len(), 10);
}

#[test]
fn compose_environment_forms_and_interpolation() {
    let src = "\
services:
  api:
    environment:
      JWT_SECRET: Sxmap1
      OK1: ${JWT_SECRET}
      JWT_SECRET_B: ${JWT_SECRET:?set it}
      JWT_SECRET_C: ${JWT_SECRET:-Sxdefault2}
      JWT_SECRET_D: ${JWT_SECRET-Sxdefault3}
      JWT_SECRET_E: \"${JWT_SECRET:-}\"
  worker:
    environment:
      - JWT_SECRET=Sxlist4
      - \"AUTH_SECRET=Sxlist5\"
      - JWT_SECRET
      - JWT_SECRET_FILE=/run/secrets/jwt
    secrets:
      - jwt_secret
secrets:
  jwt_secret:
    file: ./jwt_secret.txt
";
    assert_eq!(lines("docker-compose.yml", src), [4, 7, 8, 12, 13]);
    assert_eq!(lines("compose.prod.yaml", src).len(), 5);
}

#[test]
fn yaml_anchors_multi_documents_and_flow_maps() {
    let src = "\
x-common: &common
  JWT_SECRET: Sxanchor1
services:
  api:
    environment:
      <<: *common
      SIGNING_KEY: *common
---
auth: { jwt: { secret: Sxflow2, ttl: 3600 } }
...
---
list: [ \"JWT_SECRET=Sxflowlist3\" ]
jwt:
  secret: &s Sxanchored4
  key: Sxkey5
  public_key: /etc/jwt.pub
  existingSecret: jwt-secret
";
    assert_eq!(lines("app.yaml", src), [2, 9, 12, 14, 15]);
}

/// Lists of variables declared as a name and a value: Kubernetes `name`/`value`, and
/// `key`/`value` (Render's `envVars`, GitLab's `variables`), in YAML and in JSON alike.
#[test]
fn env_lists_of_key_and_value_pairs() {
    let render = "services:\n  - type: web\n    envVars:\n      - key: JWT_SECRET\n        value: Sxrender1\n      - key: PORT\n        value: Sxport\n";
    assert_eq!(lines("render.yaml", render), [5]);
    let json = "{\"variables\": [{\"key\": \"JWT_SECRET\", \"value\": \"Sxgitlab2\"}, {\"key\": \"NODE_ENV\", \"value\": \"Sxnode\"}]}";
    assert_eq!(lines("ci.json", json), [1]);
    // A `key:` that is not in a list item names nothing.
    assert!(lines("c.yaml", "app:\n  key: JWT_SECRET\n  value: Sxnot3\n").is_empty());
}

#[test]
fn kubernetes_env_secrets_and_references() {
    let src = "\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: JWT_SECRET
              value: Sxenv1
            - value: \"Sxenv2\"
              name: TOKEN_SECRET
            - name: JWT_SECRET
              valueFrom:
                secretKeyRef: { name: jwt, key: secret }
            - {name: AUTH_SECRET, value: Sxenv3}
---
apiVersion: v1
data:
  JWT_SECRET: U3hiYXNlNjQ0
  jwt-secret: e3sgLlZhbHVlcy5qd3QgfX0=
kind: Secret
stringData:
  SIGNING_KEY: Sxstring5
---
apiVersion: v1
kind: ConfigMap
data:
  app.toml: |
    [jwt]
    secret = \"Sxnested6\"
  run.sh: |
    export JWT_SECRET=Sxnested7
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
spec:
  encryptedData:
    JWT_SECRET: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
---
jwt_secret: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]
";
    assert_eq!(lines("deploy.yaml", src), [10, 11, 16, 20, 24, 31, 33]);
    let report = scan("deploy.yaml", src);
    let base64 = report.findings.iter().find(|f| f.line == 20).unwrap();
    assert!(
        base64.message.contains("base64 is not encryption"),
        "{}",
        base64.message
    );
}

#[test]
fn helm_values_and_templates() {
    let values = "jwtSecret: Sxhelm1\nauth:\n  jwtSecret: \"\"\n  existingSecret: \"\"\n";
    assert_eq!(lines("values.yaml", values), [1]);
    assert_eq!(lines("values-prod.yaml", values), [1]);
    let template = "\
apiVersion: v1
kind: Secret
stringData:
  {{- if .Values.jwt.secret }}
  JWT_SECRET: {{ .Values.jwt.secret | quote }}
  {{- end }}
  AUTH_SECRET: {{ required \"set auth.secret\" .Values.auth.secret }}
  {{ include \"x\" . | nindent 4 }}
data:
  JWT_SECRET: {{ .Values.jwt.secret | b64enc }}
";
    assert_eq!(
        lines("templates/secret.yaml", template),
        Vec::<usize>::new()
    );
}

#[test]
fn dockerfile_env_arg_run_and_heredocs() {
    let src = "\
FROM rust:1 AS build
ARG JWT_SECRET
ARG JWT_SECRET_B=Sxarg1
ENV JWT_SECRET=Sxenv2 PORT=8080
ENV PORT=8080 \\
    # a comment inside
    SIGNING_KEY=\"Sxenv3\"
env HMAC_KEY Sxlegacy4
RUN --mount=type=secret,id=jwt,env=JWT_SECRET cargo build
RUN JWT_SECRET=Sxrun5 ./migrate
COPY <<EOF /app/.env
JWT_SECRET=Sxheredoc6
EOF
CMD [\"sh\", \"-c\", \"JWT_SECRET=Sxcmd7 ./app\"]
";
    assert_eq!(lines("Dockerfile", src), [3, 4, 7, 8, 10, 12, 14]);
    for name in ["api.Dockerfile", "Containerfile", "Dockerfile.prod"] {
        assert_eq!(lines(name, src).len(), 7, "{name}");
    }
    let report = scan("Dockerfile", src);
    assert!(report.findings[1].message.contains("image"));
}

#[test]
fn systemd_environment_forms() {
    let src = "\
[Service]
Environment=JWT_SECRET=Sxsd1
Environment=\"AUTH_SECRET=Sxsd2\" \"PORT=80\"
Environment=PORT=80 TOKEN_SECRET=Sxsd3
EnvironmentFile=/etc/api/env
LoadCredential=jwt:/etc/api/jwt
SetCredentialEncrypted=jwt: k6iUCUh0RJCQyvL8k8q1UyAAAAABAAAADAAAAAAAAAA=
SetCredential=jwt:Sxcred5
ExecStart=/usr/bin/api --jwt-secret Sxflag6
; Environment=JWT_SECRET=Sxcommented
";
    assert_eq!(lines("api.service", src), [2, 3, 4, 8, 9]);
    assert_eq!(lines("api.container", src).len(), 5);
    assert_eq!(lines("api.service.d/override.conf", src).len(), 5);
}

#[test]
fn app_config_toml_yaml_json_properties() {
    let toml = "\
jwt_secret = \"Sxtoml1\"
[jwt]
secret = 'Sxtoml2'
ttl = 3600
[auth.jwt]
signing_key = \"\"\"
Sxtoml3\"\"\"
[server]
secret_key = \"Sxnotjwt\"
[JwtSettings]
SecretKey = \"${JWT_SECRET}\"
inline = { secret = \"Sxtoml4\" }
[database]
url = \"${DATABASE_URL:postgres://localhost}\"
[app]
jwt_secret = \"${JWT_SECRET:Sxtoml5}\"
";
    assert_eq!(lines("config/default.toml", toml), [1, 3, 7, 12, 16]);
    let json = r#"{
  "JwtSettings": { "SecretKey": "Sxjson1", "Issuer": "me" },
  "Jwt": {"Key": "Sxjson2"},
  "ConnectionStrings": {"Default": "Server=x;Password=y"},
  "environment": [{"name": "JWT_SECRET", "value": "Sxjson3"}],
  "auth": {"jwt": {"secret": "${JWT_SECRET}"}}
}"#;
    assert_eq!(lines("appsettings.Development.json", json), [2, 3, 5]);
    let yaml = "auth:\n  jwt:\n    secret: Sxyaml1\n    signing_key: ${JWT_KEY:Sxyaml2}\n";
    assert_eq!(lines("config/settings.yml", yaml), [3, 4]);
    let props = "jwt.secret=Sxprop1\napp.jwt.signing-key: Sxprop2\njwt.secret.file=/etc/x\n";
    assert_eq!(lines("application.properties", props), [1, 2]);
}

#[test]
fn ci_workflows() {
    let src = "\
env:
  JWT_SECRET: Sxci1
jobs:
  test:
    env:
      JWT_SECRET: ${{ secrets.JWT_SECRET }}
      AUTH_SECRET: $AUTH_SECRET
    steps:
      - run: echo \"JWT_SECRET=Sxci2\" >> .env
      - run: |
          export TOKEN_SECRET=Sxci3
          cargo test
";
    assert_eq!(lines(".github/workflows/ci.yml", src), [2, 9, 11]);
    let gitlab = "test:\n  variables:\n    JWT_SECRET: Sxgl1\n  script:\n    - JWT_SECRET=Sxgl2 cargo test\n";
    assert_eq!(lines(".gitlab-ci.yml", gitlab), [3, 5]);
}

#[test]
fn shell_scripts_and_heredocs() {
    let src = "\
#!/bin/sh
export JWT_SECRET=Sxsh1
JWT_SECRET=Sxsh2 cargo run
export JWT_SECRET=\"$(openssl rand -base64 48)\"
export JWT_SECRET=`openssl rand -hex 32`
docker run -e JWT_SECRET=Sxsh3 app
cat > .env <<EOF
JWT_SECRET=Sxsh4
EOF
cat > config.yaml <<'YAML'
jwt_secret: Sxsh5
YAML
# export JWT_SECRET=Sxcommented
";
    assert_eq!(lines("run.sh", src), [2, 3, 6, 8, 11]);
    assert_eq!(lines(".envrc", src).len(), 5);
}

/// A flag whose value is an assignment sets that variable: `--env=NAME=value`,
/// `--from-literal=NAME=value`, quoted or not; other variables there are no secret.
#[test]
fn shell_flags_whose_value_is_an_assignment() {
    let src = "\
docker run --env=JWT_SECRET=Sxflag1 app
kubectl create secret generic api --from-literal=JWT_SECRET=Sxflag2
docker build --build-arg=\"JWT_SECRET=Sxflag3\" .
docker run --env=PORT=8080 --from-literal=username=Sxadmin app
kubectl create secret generic api --from-literal=JWT_SECRET=$JWT_SECRET
";
    assert_eq!(lines("deploy.sh", src), [1, 2, 3]);
}

/// A Procfile's commands are read as shell: `web: JWT_SECRET=.. ./app` (a reference,
/// `$JWT_SECRET`, is not a value).
#[test]
fn procfile_commands() {
    let src = "web: JWT_SECRET=Sxproc1 ./target/release/api\nworker: ./worker --jwt-secret Sxproc2\nclock: JWT_SECRET=$JWT_SECRET ./clock\n";
    assert_eq!(lines("Procfile", src), [1, 2]);
    assert_eq!(lines("Procfile.dev", src), [1, 2]);
}

/// serverless.yml's `${source:address}` names where a value comes from (no value); its
/// `, fallback` is a value; a Spring-style `${NAME:default}` stays a default.
#[test]
fn serverless_variable_sources_are_references_and_their_fallbacks_values() {
    let src = "\
provider:
  environment:
    JWT_SECRET: ${ssm:/api/jwt-secret}
    JWT_SECRET2: ${env:JWT_SECRET}
    JWT_SECRET3: ${env:JWT_SECRET, 'Sxfallback1'}
    JWT_SECRET4: ${self:custom.jwtSecret}
    JWT_SECRET5: ${env:JWT_SECRET, ${ssm:/api/jwt}}
    JWT_SECRET6: ${JWT_SECRET:Sxspring2}
";
    assert_eq!(lines("serverless.yml", src), [5, 8]);
}

/// Terraform and Nomad (HCL): a variable's `default` is the variable's value, maps and
/// blocks nest, an `env { name, value }` block is one variable, a heredoc is text. Only
/// quoted strings are values: expressions, interpolations and comments are not.
#[test]
fn terraform_and_nomad_files() {
    let tf = r#"variable "jwt_secret" {
  type      = string
  default   = "Sxtf1"
  sensitive = true
}
variable "region" {
  default = "Sxregion"
}
resource "aws_lambda_function" "api" {
  environment {
    variables = {
      JWT_SECRET = "Sxtf2"
      PORT       = "8080"
      OTHER      = var.jwt_secret
    }
  }
}
resource "kubernetes_deployment" "api" {
  container {
    env {
      name  = "JWT_SECRET"
      value = "Sxtf3"
    }
    env {
      name  = "JWT_SECRET"
      value = random_password.jwt.result
    }
  }
}
locals {
  settings = { jwt_secret = "Sxtf4", name = "x" }
  jwt_secret_interpolated = "${random_password.jwt.result}"
}
/* commented out
jwt_secret = "Sxcommented"
*/
"#;
    assert_eq!(lines("main.tf", tf), [3, 12, 22, 31]);
    assert_eq!(
        lines(
            "prod.tfvars",
            "jwt_secret = \"Sxtfvars\"\nregion = \"eu\"\n"
        ),
        [1]
    );
    let nomad = "job \"api\" {\n  task \"api\" {\n    env {\n      JWT_SECRET = \"Sxnomad1\"\n    }\n    template {\n      data = <<EOH\nJWT_SECRET=Sxnomad2\nJWT_SECRET3={{ with secret \"kv/jwt\" }}{{ .Data.value }}{{ end }}\nEOH\n    }\n  }\n}\n";
    assert_eq!(lines("api.nomad", nomad), [4, 8]);
}

#[test]
fn hardcoded_jwts_anywhere() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz";
    for (name, src) in [
        (".env", format!("TOKEN={jwt}\n")),
        ("values.yaml", format!("demo:\n  bearer: \"{jwt}\"\n")),
        ("x.json", format!("{{\"t\": \"{jwt}\"}}")),
    ] {
        let report = scan(name, &src);
        assert_eq!(report.findings.len(), 1, "{name}");
        assert_eq!(report.findings[0].rule, Rule::JwtLiteral);
        assert!(!report.render_human().contains("c2lnbmF0dXJl"));
    }
}

/// Config files find tokens inside text as Rust literals do (one finder,
/// `literal::jwts_in`): by their first three segments, so a JWE or a token with a
/// trailing `.suffix` is one finding, highlighted on its three segments; a signed token
/// needs its signature there.
#[test]
fn jwts_in_config_text_are_cut_as_in_rust_literals() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz";
    for src in [
        format!("TOKEN={jwt}.eyJlbmMiOiJBMjU2R0NNIn0.x\n"),
        format!("CURL=\"curl -H 'Authorization: Bearer {jwt}' http://x/\"\n"),
    ] {
        let report = scan(".env", &src);
        assert_eq!(report.findings.len(), 1, "{src}");
        let f = &report.findings[0];
        assert_eq!(f.rule, Rule::JwtLiteral, "{src}");
        assert_eq!(f.highlight.len(), jwt.chars().count(), "{src}");
    }
    for src in [
        "NOTE=\"see eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0. and more\"\n",
        "X=xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\n",
    ] {
        assert!(scan(".env", src).findings.is_empty(), "{src}");
    }
}

#[test]
fn suppressions_in_every_format_with_comments() {
    for (name, src) in [
        (
            ".env",
            "# jwt-guard: allow(config-secret) local demo value\nJWT_SECRET=Sxsup1\n",
        ),
        (
            "compose.yml",
            "x:\n  JWT_SECRET: Sxsup2 # jwt-guard: allow(config-secret) demo only\n",
        ),
        (
            "Dockerfile",
            "# jwt-guard: allow(config-secret) test image\nENV JWT_SECRET=Sxsup3\n",
        ),
        (
            "a.toml",
            "jwt_secret = \"Sxsup4\" # jwt-guard: allow(config-secret) fixture\n",
        ),
        (
            "a.service",
            "; jwt-guard: allow(config-secret) lab box\nEnvironment=JWT_SECRET=Sxsup5\n",
        ),
    ] {
        let report = scan(name, src);
        assert!(report.findings.is_empty(), "{name}: {:?}", report.findings);
        assert_eq!(report.suppressed, 1, "{name}");
    }
    let report = scan(
        ".env",
        "# jwt-guard: allow(config-secret)\nJWT_SECRET=Sxsup6\n",
    );
    let rules: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::InvalidSuppression, Rule::ConfigSecret]);
}

#[test]
fn malformed_and_huge_files_never_panic_and_are_read_to_the_end() {
    let broken = [
        "a: [unclosed\n  b: {\"x\nJWT_SECRET: Sxbroken1\n",
        "{\"a\": [1, 2, {\"JwtSecret\": \"Sxbroken2\"",
        "key = \"unterminated\njwt_secret = \"Sxbroken3\"\n",
        "\"\n'\n- - - :\n: :\n{{ }}\n&&\n*\n!\n|\nJWT_SECRET: Sxbroken4\n",
        "}\n}\nvariable \"jwt_secret\" {\n  default = \"Sxbroken5\"\n  data = <<EOF\n/* x\n{\n",
    ];
    for (i, src) in broken.iter().enumerate() {
        for name in [
            "x.yaml",
            "x.json",
            "x.toml",
            ".env",
            "Dockerfile",
            "x.service",
            "x.sh",
            "x.tf",
            "Procfile",
        ] {
            let report = scan(name, src);
            assert_eq!(report.files_scanned, 1);
            let _ = report.render_human();
            if (name, i) == ("x.yaml", 0)
                || (name, i) == ("x.json", 1)
                || (name, i) == ("x.toml", 2)
                || (name, i) == ("x.yaml", 3)
                || (name, i) == ("x.tf", 4)
            {
                assert_eq!(
                    report.findings.len(),
                    1,
                    "{name} {i}: {:?}",
                    report.findings
                );
            }
        }
    }
    // Arbitrary bytes in every format.
    let mut seed = 7u32;
    for name in [
        "x.yaml",
        "x.json",
        "x.toml",
        ".env",
        "Dockerfile",
        "x.service",
        "x.sh",
        "x.properties",
        "x.tf",
        "Procfile",
    ] {
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let alphabet = b"JWT_SECRET=:{}[]\"'\\ \n-#$<>|&*!eyJ.x/";
                    alphabet[(seed >> 16) as usize % alphabet.len()]
                })
                .collect();
            let _ = scan_source(Path::new(name), &bytes, &ScanOptions::default()).render_human();
        }
    }
    // A minified one-line JSON file: the shown line is cut around the finding.
    let mut big = String::from("{");
    for i in 0..20_000 {
        big.push_str(&format!("\"k{i}\": \"v{i}\", "));
    }
    big.push_str("\"jwt\": {\"secret\": \"Sxminified\"}}");
    let report = scan("bundle.json", &big);
    assert_eq!(report.findings.len(), 1);
    assert!(report.findings[0].masked_line.chars().count() < 200);
    assert!(!report.render_human().contains("Sxminified"));
}

#[test]
fn names_need_jwt_context_when_generic() {
    let src = "\
SECRET_KEY: Sxa
APP_SECRET: Sxb
client_secret: Sxc
jwt:
  SECRET_KEY: Sxd
  client_secret: Sxe
JwtSettings:
  SecretKey: Sxf
NEXTAUTH_URL: http://localhost
api_key: Sxg
";
    assert_eq!(lines("c.yaml", src), [5, 8]);
}

#[test]
fn real_world_shapes_seen_in_the_corpus() {
    // Command substitution and config lookups are references.
    assert_eq!(
        lines(
            "install.sh",
            "JWT_SECRET=$(openssl rand -base64 64)\nJWT_SECRET=${JWT_SECRET:-$(openssl rand -hex 32)}\n"
        ),
        Vec::<usize>::new()
    );
    assert_eq!(
        lines("config.toml", "[jwt]\nsecret = \"env(JWT_SECRET)\"\n"),
        Vec::<usize>::new()
    );
    // A third party's secret under an auth section is not the JWT secret.
    assert_eq!(
        lines(
            "config.toml",
            "[auth.external.github]\nsecret = \"Sxoauth\"\n[auth]\njwt_secret = \"Sxjwt1\"\n"
        ),
        [4]
    );
    // A Kubernetes Secret named for the JWT secret: its entries are the secret.
    let src = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: jwt-secret\nstringData:\n  JWT_SALT: Sxsalt1\n  JWT_SECRET_FILE: /run/x\n";
    assert_eq!(lines("secret.yaml", src), [6]);
    let src = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\nstringData:\n  JWT_SALT: Sxsalt2\n";
    assert_eq!(lines("secret.yaml", src), Vec::<usize>::new());
    // A JWT word and `key` in any order.
    assert_eq!(
        lines(
            ".env",
            "APP_KEY_JWT=Sxkeyjwt\nJWT_PUBLIC_KEY=/etc/jwt.pub\n"
        ),
        [1]
    );
}

/// A slot whose name says JWT is the service's JWT secret under any parent; a generic
/// secret under a third party's section (`provider`, `oauth`, `database`) is that party's.
#[test]
fn a_jwt_named_slot_under_a_third_party_section_is_still_the_jwt_secret() {
    // serverless.yml: the provider's environment is the functions' environment.
    let serverless =
        "service: api\nprovider:\n  name: aws\n  environment:\n    JWT_SECRET: Sxsls1\n";
    assert_eq!(lines("serverless.yml", serverless), [5]);
    let supabase = "providers:\n  supabase:\n    jwt_secret: Sxsupa1\n";
    assert_eq!(lines("config.yaml", supabase), [3]);
    let aws = "[aws]\njwtSigningKey = \"Sxaws1\"\n";
    assert_eq!(lines("config.toml", aws), [2]);
    // Their twins: generic secret names there are the third party's.
    assert!(lines("config.yaml", "providers:\n  github:\n    secret: Sxgh1\n").is_empty());
    assert!(lines("config.toml", "[database]\nsigning_key = \"Sxdb1\"\n").is_empty());
    assert!(
        lines(
            "serverless.yml",
            "provider:\n  environment:\n    OAUTH_CLIENT_SECRET: Sxoa1\n"
        )
        .is_empty()
    );
}

#[test]
fn node_config_variable_maps_name_variables_not_values() {
    let json = "{\"jwt\": {\"secret\": \"APP_JWT_SECRET\", \"key\": {\"__name\": \"K\"}}}";
    let toml = "jwtPrivateKey = \"Sxlibrary_jwtPrivateKey\"\n";
    let yaml = "auth:\n  jwt_secret: Sxsome_variable\n";
    assert!(lines("config/custom-environment-variables.json", json).is_empty());
    assert!(lines("config/custom-environment-variables.toml", toml).is_empty());
    assert!(lines("config/custom-environment-variables.yaml", yaml).is_empty());
    // The same lines in the files whose values are the configuration are findings.
    assert_eq!(lines("config/default.json", json), [1]);
    assert_eq!(lines("config/default.toml", toml), [1]);
    assert_eq!(lines("config/production.yaml", yaml), [2]);
}

#[test]
fn an_item_of_a_secret_named_list_is_its_value() {
    let json = "{\"config\": {\"kid\": [\"a\"], \"secret\": [\n  \"Sxlist1\"\n], \"algorithm\": [\"HS512\"]}}";
    assert_eq!(lines("realm.json", json), [2]);
    let yaml = "jwt:\n  secret:\n    - Sxlist2\n  issuers:\n    - https://issuer.example\nenvironment:\n  - JWT_SECRET=Sxlist3\n";
    assert_eq!(lines("c.yaml", yaml), [3, 7]);
}

#[test]
fn walks_list_config_files_and_leave_out_local_ignored_ones() {
    use crate::scan_paths;
    use std::fs;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::create_dir_all(root.join("deploy")).unwrap();
    fs::write(root.join(".gitignore"), ".env\n").unwrap();
    fs::write(root.join(".env"), "JWT_SECRET=Sxlocal\n").unwrap();
    fs::write(root.join(".env.production"), "JWT_SECRET=Sxcommitted\n").unwrap();
    fs::write(
        root.join("deploy/run"),
        "#!/usr/bin/env bash\nexport JWT_SECRET=Sxscript\n",
    )
    .unwrap();
    fs::write(
        root.join("deploy/LICENSE"),
        b"\xff\xfe binary, no shebang JWT_SECRET=x",
    )
    .unwrap();
    fs::write(root.join("README.md"), "JWT_SECRET=Sxdocs\n").unwrap();
    let report = scan_paths(&[root.to_path_buf()], &ScanOptions::default());
    let mut found: Vec<String> = report
        .findings
        .iter()
        .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    found.sort();
    assert_eq!(found, [".env.production", "deploy/run"]);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // Named explicitly, or with the rule turned off, the ignored file is scanned.
    let report = scan_paths(&[root.join(".env")], &ScanOptions::default());
    assert_eq!(report.findings.len(), 1);
    let all = ScanOptions::default().config_gitignore(false);
    assert_eq!(scan_paths(&[root.to_path_buf()], &all).findings.len(), 3);
    let rust_only = ScanOptions::default().config_files(false);
    assert!(
        scan_paths(&[root.to_path_buf()], &rust_only)
            .findings
            .is_empty()
    );
    // A special file with a config name is an error, never a hang or a pass.
    #[cfg(unix)]
    {
        let fifo = root.join("deploy/.env.fifo");
        jwt_guard_tests::mkfifo(&fifo);
        let report = scan_paths(&[root.join("deploy")], &ScanOptions::default());
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    }
}

/// What only a YAML parser sees (feature `structured`), and what the line reader alone
/// still finds in the same files.
mod structured_yaml {
    use super::{lines, scan};

    /// Secrets reached through a merge key, an alias of a map, a complex key and a value
    /// on the line after its key; each has an unflagged twin without JWT context.
    const SHAPES: &str = "\
defaults: &defaults
  key: Sxmerged1
  ttl: 60
auth:
  jwt:
    <<: *defaults
shared: &shared
  key: Sxaliased2
tokens:
  hmac: *shared
? jwt_secret
: Sxcomplex3
jwt:
  signing_key:
    Sxnextline4
    continued
plain: &plain
  key: Sxtwin5
jobs:
  <<: *plain
  other: *plain
";

    #[test]
    fn aliases_merge_keys_complex_keys_and_next_line_values() {
        let expected: &[usize] = if cfg!(feature = "structured") {
            &[2, 8, 12, 15]
        } else {
            &[]
        };
        assert_eq!(lines("app.yaml", SHAPES), expected);
    }

    #[test]
    fn crlf_bom_and_multibyte_text_keep_positions() {
        let crlf = format!("\u{feff}{}", SHAPES.replace('\n', "\r\n"));
        assert_eq!(lines("app.yaml", &crlf), lines("app.yaml", SHAPES));
        // Characters of several bytes before the value: the column is still the value's.
        let src = "title: \"héllo wörld ✓\"\nd: &d\n  key: Sxwide1\njwt:\n  <<: *d\n";
        let report = scan("app.yaml", src);
        let at: Vec<(usize, usize)> = report.findings.iter().map(|f| (f.line, f.column)).collect();
        let expected: &[(usize, usize)] = if cfg!(feature = "structured") {
            &[(3, 8)]
        } else {
            &[]
        };
        assert_eq!(at, expected);
    }

    #[test]
    fn a_file_the_parser_rejects_is_still_read_line_by_line() {
        // A Helm template: not YAML, no aliases: read by the line reader, no warning.
        let helm =
            "jwt:\n  secret: Sxhelm1\n{{- if .Values.x }}\n  a: {{ .Values.a }}\n{{- end }}\n";
        assert_eq!(lines("templates/cm.yaml", helm), [2]);
        // Broken YAML that uses a merge key: the line reader's findings, and a warning
        // that values reached through the merge key were not checked.
        let broken =
            "d: &d\n  key: Sxbroken2\njwt:\n  <<: *d\n  x: [unclosed\nJWT_SECRET: Sxbroken3\n";
        let report = scan("app.yaml", broken);
        let found: Vec<usize> = report.findings.iter().map(|f| f.line).collect();
        // The parser's events before the error still count: the merge on line 4.
        let expected: &[usize] = if cfg!(feature = "structured") {
            &[2, 6]
        } else {
            &[6]
        };
        assert_eq!(found, expected);
        assert_eq!(
            report.warnings.len(),
            usize::from(cfg!(feature = "structured"))
        );
        for warning in &report.warnings {
            assert!(
                warning.message.contains("from line 6"),
                "{}",
                warning.message
            );
            assert!(!warning.message.contains("Sxbroken"));
        }
    }

    #[test]
    fn a_huge_multi_document_file_is_read_to_its_end() {
        let mut src = String::new();
        for i in 0..20_000 {
            src.push_str(&format!(
                "---\nkind: ConfigMap\nmetadata:\n  name: m{i}\ndata:\n  k{i}: v{i}\n"
            ));
        }
        src.push_str("---\nbase: &b\n  key: Sxhuge1\njwt:\n  <<: *b\n");
        let started = std::time::Instant::now();
        let expected: &[usize] = if cfg!(feature = "structured") {
            &[20_000 * 6 + 3]
        } else {
            &[]
        };
        assert_eq!(lines("all.yaml", &src), expected);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn exponential_aliases_stop_at_a_limit_with_a_warning() {
        let mut src = String::from(
            "a: &a {jwt_secret: [Sxl, Sxl, Sxl, Sxl, Sxl, Sxl, Sxl, Sxl, Sxl, Sxl]}\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        for pair in names.windows(2) {
            let item = format!("*{}", pair[0]);
            src.push_str(&format!(
                "{}: &{} [{}]\n",
                pair[1],
                pair[1],
                [item.as_str(); 10].join(", ")
            ));
        }
        let started = std::time::Instant::now();
        let report = scan("laughs.yaml", &src);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        // The ten literals on line 1 are found either way.
        assert_eq!(report.findings.len(), 10);
        assert_eq!(
            report.warnings.len(),
            usize::from(cfg!(feature = "structured"))
        );
    }
}

/// TOML and JSON keep their own readers (no parser dependency): the shapes a parser would
/// give, read with positions.
#[test]
fn toml_dotted_inline_and_array_tables_and_json_in_any_layout() {
    let toml = "\
jwt.secret = \"Sxdotted1\"
auth = { jwt = { signing_key = \"Sxinline2\" }, ttl = 60 }
\"jwt\".'key' = \"Sxquoted3\"
[[jwt.keys]]
kid = \"a\"
secret = \"Sxaot4\"
[[jwt.keys]]
kid = \"b\"
secret = \"${JWT_SECRET}\"
[server]
key = \"Sxnotjwt\"
";
    assert_eq!(lines("config/default.toml", toml), [1, 2, 3, 6]);
    let crlf = toml.replace('\n', "\r\n");
    assert_eq!(lines("config/default.toml", &crlf), [1, 2, 3, 6]);
    let json = "{\n\"jwt\"\n:\n{ \"secret\"\n: \"Sxlayout1\" }, \"list\": [1, {\"x\": [ {\"JwtSecret\": \"Sxdeep2\"} ]}],\n\"server\": {\"key\": \"Sxnotjwt\"}}\n";
    assert_eq!(lines("appsettings.json", json), [5, 5]);
    let minified: String = json.split('\n').collect();
    let report = scan("appsettings.json", &minified);
    assert_eq!(report.findings.len(), 2);
    assert!(report.findings.iter().all(|f| f.line == 1));
    let bom = format!("\u{feff}{json}");
    assert_eq!(lines("appsettings.json", &bom), [5, 5]);
}
