// Derives above and below the attribute see the struct without the helper attributes.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

#[derive(Debug, Clone)]
#[jwt_secret_env]
struct Above {
    jwt_secret: JwtSecret,
    #[env(default = "1")]
    replicas: u8,
}

#[jwt_secret_env]
#[derive(Debug, Clone)]
struct Below {
    jwt_secret: JwtSecret,
    #[env(default = "1")]
    replicas: u8,
}

fn main() {
    let _ = (Above::from_env, Below::from_env);
    let _ = |a: &Above, b: &Below| format!("{a:?} {b:?} {:?} {:?}", a.clone(), b.clone());
}
