//! A bounded HTTP/1.1 load client for 127.0.0.1 only: keep-alive connections, each sending
//! its share of requests one after another and timing each. Shared (through `#[path]`) by
//! the rotation-under-load test and the layer's latency benchmark.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive connection.
pub struct Connection {
    stream: BufReader<TcpStream>,
    pub address: SocketAddr,
}

impl Connection {
    pub async fn open(address: SocketAddr) -> io::Result<Self> {
        assert!(
            address.ip().is_loopback(),
            "load only ever goes to 127.0.0.1"
        );
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
            address,
        })
    }

    /// `GET path` with an optional bearer token: the status, within `timeout`.
    pub async fn get(
        &mut self,
        path: &str,
        token: Option<&str>,
        timeout: Duration,
    ) -> io::Result<u16> {
        tokio::time::timeout(timeout, self.get_inner(path, token))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no answer in time"))?
    }

    async fn get_inner(&mut self, path: &str, token: Option<&str>) -> io::Result<u16> {
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", self.address);
        if let Some(token) = token {
            request.push_str("Authorization: Bearer ");
            request.push_str(token);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no status line"))?;
        let mut length = 0usize;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(status)
    }
}

/// Latencies of `requests` GETs over `connections` keep-alive connections to `address`.
pub async fn run(
    address: SocketAddr,
    path: &'static str,
    token: Arc<str>,
    requests: usize,
    connections: usize,
) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for c in 0..connections {
        let share = requests / connections + usize::from(c < requests % connections);
        let token = Arc::clone(&token);
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(address).await.expect("connect");
            let mut latencies = Vec::with_capacity(share);
            for _ in 0..share {
                let start = Instant::now();
                let status = connection
                    .get(path, Some(&token), Duration::from_secs(10))
                    .await
                    .expect("request");
                latencies.push(start.elapsed());
                assert_eq!(status, 200, "{path}");
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(requests);
    for task in tasks {
        all.extend(task.await.expect("client task"));
    }
    all
}

/// The `q`-quantile (0..=1) of `latencies`.
pub fn quantile(latencies: &mut [Duration], q: f64) -> Duration {
    latencies.sort_unstable();
    let index = ((latencies.len() - 1) as f64 * q).round() as usize;
    latencies[index]
}
