//! A toy login service. Every secret in it is fake and every one is a mistake on purpose:
//! run `jwt-guard scan examples/vulnerable-service` to see them found.

mod auth;
mod config;
mod jwt;
mod tokens;
mod webhooks;

fn main() {
    let config = config::AuthConfig::load();
    let token = auth::issue_token(&config, "alice");
    println!("issued a token of {} bytes", token.len());
    println!("verified: {} / admin: {}", auth::verify(&token), auth::verify_admin(&token));
    println!("built with a secret of {} bytes", auth::embedded_secret().len());
    let staging = config::AuthConfig::staging();
    println!("staging issuer {} ttl {}", staging.issuer, staging.token_ttl_secs);
    println!("settings: {} entries, json {}", staging.as_map().len(), staging.as_json());
    println!("layer key of {} bytes", config::auth_layer().key_len());
    println!("webhook signature: {:x} (key file {})", webhooks::sign(b"{}"), webhooks::WEBHOOK_SECRET_FILE);
    println!("service token present: {} ({})", !tokens::service_token().is_empty(), tokens::HEADER);
}
