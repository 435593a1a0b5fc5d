//! Running a child process with a deadline, so a regression that blocks (a FIFO with no
//! writer, a read that never ends) fails the test instead of hanging CI.

use std::io::Read;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How long a command that should answer at once gets before it counts as hung.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `command` with stdin closed and stdout/stderr captured (unless the caller set
/// them), like [`Command::output`], but kills it and panics after `deadline`.
pub fn output_within(command: &mut Command, deadline: Duration) -> Output {
    let what = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {what}: {error}"));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait(&mut child, deadline)
        .unwrap_or_else(|| panic!("{what} still running after {deadline:?}: killed (hung?)"));
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Runs `command` with stdout and stderr captured, killed and failed after [`DEADLINE`].
pub fn output(command: &mut Command) -> Output {
    output_within(
        command.stdout(Stdio::piped()).stderr(Stdio::piped()),
        DEADLINE,
    )
}

/// Reads a pipe to its end on a thread (a full pipe would block the child).
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The exit status, or `None` (the child killed) when `deadline` passes first.
fn wait(child: &mut Child, deadline: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `work` on its own thread and panics when it has not returned after `deadline`
/// (the thread is left blocked; the test binary exits anyway).
pub fn within<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(deadline) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => panic!("still running after {deadline:?} (blocked?)"),
        Err(RecvTimeoutError::Disconnected) => panic!("the work panicked"),
    }
}

/// Makes a FIFO at `path` with the `mkfifo` command (the tests run no unsafe code).
#[cfg(unix)]
pub fn mkfifo(path: &std::path::Path) {
    let status = output(Command::new("mkfifo").arg(path)).status;
    assert!(status.success(), "mkfifo {}: {status}", path.display());
}
