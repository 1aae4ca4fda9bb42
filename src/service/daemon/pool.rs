//! The threads that run requests. A connection's own threads only move bytes (reading a
//! request, writing replies) and stay shallow; the service's work — admission, answering,
//! pushing changes, the log-off — runs here, on a fixed number of threads. So a connection
//! that is open but quiet costs two small stacks, not the deepest stack a request ever
//! touched: 500 idle consoles are a few MiB, not a hundred.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce() + Send>;

pub(super) struct Pool {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Pool {
    pub fn new(workers: usize) -> std::io::Result<Pool> {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let workers = (0..workers.max(1))
            .map(|n| {
                let rx = rx.clone();
                std::thread::Builder::new()
                    .name(format!("trucban-worker-{n}"))
                    .spawn(move || {
                        loop {
                            // The lock is held only to take a job, not to run it.
                            let job = match rx.lock() {
                                Ok(rx) => rx.recv(),
                                Err(_) => return,
                            };
                            match job {
                                // A request that panics loses its connection (its result
                                // never comes), not the worker.
                                Ok(job) => {
                                    let _ =
                                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                                }
                                Err(_) => return,
                            }
                        }
                    })
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Pool {
            jobs: Mutex::new(Some(tx)),
            workers: Mutex::new(workers),
        })
    }

    /// Runs `job` on a worker and waits for its result; `None` once the pool is stopped
    /// (or the job panicked).
    pub fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = mpsc::sync_channel(1);
        let boxed: Job = Box::new(move || {
            let _ = tx.send(job());
        });
        self.jobs.lock().ok()?.as_ref()?.send(boxed).ok()?;
        rx.recv().ok()
    }

    /// Lets the workers finish the jobs they hold and end.
    pub fn stop(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        let workers = self
            .workers
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        for worker in workers {
            let _ = worker.join();
        }
    }
}
