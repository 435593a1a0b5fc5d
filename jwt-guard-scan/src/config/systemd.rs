//! systemd units, quadlets (`.container`, `.pod`, `.kube`) and drop-ins (`*.d/*.conf`):
//! `Environment=NAME=value` (quoted, several per line, continuation lines),
//! `SetCredential=id:value` (a plaintext credential), and the shell words of every other
//! setting (`ExecStart=/usr/bin/app --jwt-secret=abc`). `EnvironmentFile=`,
//! `LoadCredential=`, `LoadCredentialEncrypted=`, `SetCredentialEncrypted=` and a quadlet's
//! `Secret=` point elsewhere.

use super::shell::{self, LineIter};
use super::{Out, Slot};
use std::ops::Range;

/// Reads a unit file.
pub(crate) fn scan(src: &str, out: &mut Out) {
    let lines: Vec<Range<usize>> = LineIter::new(src, 0..src.len()).collect();
    let mut n = 0;
    while n < lines.len() {
        let mut parts = shell::continued_line(src, &lines, &mut n, &["#", ";"]);
        let Some(first) = parts.first().cloned() else {
            continue;
        };
        let text = &src[first.clone()];
        let Some(eq) = text.find('=') else { continue };
        let key = text[..eq].trim();
        if key.starts_with('[') {
            continue;
        }
        parts[0] = first.start + eq + 1..first.end;
        match key {
            "EnvironmentFile"
            | "LoadCredential"
            | "LoadCredentialEncrypted"
            | "SetCredentialEncrypted"
            | "Secret"
            | "ImportCredential" => {}
            "SetCredential" => {
                let value = &src[parts[0].clone()];
                if let Some(colon) = value.find(':') {
                    let id = value[..colon].trim();
                    let start = parts[0].start + colon + 1;
                    let name = if id.to_ascii_lowercase().contains("jwt") && !id.contains("secret")
                    {
                        format!("{id}_secret")
                    } else {
                        id.to_owned()
                    };
                    out.push(Slot::new(vec![name], start..parts[0].end));
                }
            }
            _ => {
                for part in parts {
                    shell::assignments(src, part, &[], out);
                }
            }
        }
    }
}
