// A JwtSecret has no Display, as in secrecy: only the redacted Debug prints it.
fn show(secret: &jwt_guard::JwtSecret) -> String {
    format!("{secret}")
}

fn main() {}
