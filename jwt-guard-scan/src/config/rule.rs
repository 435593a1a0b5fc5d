//! `config-secret`: a literal JWT secret in a deployment or configuration file.

use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "config-secret",
    title: "hardcoded JWT secret in a config file",
    summary: "A deployment or configuration file sets a JWT secret to a literal value.",
    fix: "set it from the environment or a secret store at deploy time (`${JWT_SECRET}`, `secretKeyRef`, `EnvironmentFile=`, `${{ secrets.JWT_SECRET }}`), see docs/deploying.md",
    fires_on: "a literal value in a JWT-secret slot of a `.env`, compose, Dockerfile, Kubernetes, Helm, systemd, TOML/YAML/JSON/properties config, CI workflow or shell file",
    details: "a literal value in a slot whose name says JWT secret (`JWT_SECRET`, `jwtSecret`, \
`signing_key`, `secret`), or whose name is a generic secret or key (`SECRET_KEY`, `SecretKey`, `key`) \
under a parent that says JWT (`[jwt]`, `JwtSettings`, `auth.jwt`), in: `.env`/`.env.*`/`*.env` \
(`KEY=value`, `export`); compose `environment:` (map and list forms) and the default of \
`${VAR:-default}`/`${VAR-default}`; Dockerfile `ENV` (both forms, continuation lines) and \
`ARG NAME=default`; lists of `name`/`value` or `key`/`value` pairs (Kubernetes `env`, Render \
`envVars`, GitLab `variables`, ECS `Name`/`Value`); Kubernetes Secret `stringData:` and base64 \
`data:` (decoded, then judged); Helm values; systemd `Environment=` and `SetCredential=`; \
TOML, YAML, JSON and `.properties` keys, including `${VAR:default}` defaults; Terraform and \
Nomad HCL (`*.tf`, `*.tfvars`, `*.hcl`, `*.nomad`: attributes, maps, a `variable`'s `default`, \
`env { name value }` blocks, heredocs; only quoted strings are values); CI `env:` blocks and `run:` scripts; shell scripts and Procfiles: `export NAME=value`, `NAME=value cmd`, \
`--jwt-secret value` flags, flags holding an assignment (`--env=NAME=value`, \
`--from-literal=NAME=value`) and heredocs; YAML block scalars read as the format their key names. \
References are not flagged: `${VAR}`, `${VAR:?err}`, `$VAR`, `$(cmd)`, `{{ .Values.x }}`, \
serverless.yml's `${env:VAR}`, `${ssm:/path}` (a `, fallback` is judged), \
`${{ secrets.X }}`, `valueFrom`, YAML aliases and tags, SOPS `ENC[...]`, SealedSecret \
`encryptedData`, `*_FILE` variables, paths and URLs. In a template (`.env.example`, \
`*.sample`, `*.template`, `*.dist`) a value that is an instruction (empty, `<...>`, \
`CHANGE_ME`, `your-...`, `...-here`, `xxxx`) is not flagged; a value that works is. The \
message says when start-up would also refuse the value (the policy's rules; the CLI and the \
build guard with default features: feature `verdict` of the scanner). The same \
slots are read in configuration text held by a Rust string literal, when every line of it \
has one format's shape: JSON (`serde_json::from_str(r#\"{\"jwt_secret\": ..}\"#)`), TOML \
(config-rs `File::from_str(\"jwt_secret = '..'\", FileFormat::Toml)`, figment \
`Toml::string`), YAML (two lines or more) and `.env` lines; a value right under a \
secret-named map is one of its entries (`{\"jwt_secrets\": {\"2024\": ..}}`) unless its \
key describes it (a JSON schema's `type`, `default`, `example`). The finding is on the \
value's own line when the literal holds the source's bytes (raw strings, no escapes), \
else on the literal's",
    is_secret: true,
    keywords: &[],
    flagged: &[
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: .env\nJWT_SECRET=supersecret",
        "fn c() -> Config { serde_json::from_str(r#\"{\"jwt_secret\": \"Xq7pLm2vRt9sWk4b\"}\"#).unwrap() }",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: .env.example\nexport JWT_SECRET=\"secret\"",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: docker-compose.yml\nservices:\n  api:\n    environment:\n      JWT_SECRET: changeme",
        "# file: docker-compose.yml\nservices:\n  api:\n    environment:\n      - JWT_SECRET=${JWT_SECRET:-dev-secret}",
        "# file: Dockerfile\nFROM alpine\nENV JWT_SECRET=supersecret",
        "# file: Dockerfile\nARG JWT_SECRET=build-time-secret",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: k8s/deploy.yaml\nspec:\n  containers:\n    - env:\n        - name: JWT_SECRET\n          value: hunter2hunter2",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: secret.yaml\nkind: Secret\ndata:\n  JWT_SECRET: c3VwZXJzZWNyZXQ=",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: config/default.toml\n[jwt]\nsecret = \"abc\"",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: appsettings.yaml\nJwtSettings:\n  SecretKey: abcdefgh",
        "# file: api.service\n[Service]\nEnvironment=\"JWT_SECRET=abc\" \"PORT=8080\"",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: .github/workflows/ci.yml\njobs:\n  test:\n    env:\n      JWT_SECRET: test-secret",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: run.sh\nJWT_SECRET=abc cargo run",
    ],
    not_flagged: &[
        "# file: .env\nJWT_SECRET=\nJWT_SECRET_FILE=/run/secrets/jwt",
        "const SCHEMA: &str = r#\"{\"jwt_secret\": {\"type\": \"string\", \"minLength\": 32}}\"#;",
        // jwt-guard: allow(config-secret) the rule's own example, run by its tests
        "# file: .env.example\nJWT_SECRET=<generate with: openssl rand -base64 48>",
        "# file: docker-compose.yml\nservices:\n  api:\n    environment:\n      JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET}",
        "# file: Dockerfile\nARG JWT_SECRET\nRUN --mount=type=secret,id=jwt cargo build",
        "# file: k8s/deploy.yaml\nenv:\n  - name: JWT_SECRET\n    valueFrom:\n      secretKeyRef: {name: jwt, key: secret}",
        "# file: values.yaml\njwtSecret: \"{{ .Values.global.jwtSecret }}\"",
        "# file: api.service\n[Service]\nEnvironmentFile=/etc/api/env\nLoadCredential=jwt:/etc/api/jwt",
        "# file: .github/workflows/ci.yml\nenv:\n  JWT_SECRET: ${{ secrets.JWT_SECRET }}",
        "# file: config.toml\nsecret_key = \"not-a-jwt-one\"\n[database]\npassword = \"x\"",
        "# file: run.sh\nexport JWT_SECRET=\"$(openssl rand -base64 48)\"",
    ],
};
