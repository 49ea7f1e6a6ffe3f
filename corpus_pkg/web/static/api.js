// The JSON API (docs/web.md): every write carries the session's CSRF token and the file version.

const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  return { status: response.status, data };
}

export async function postJSON(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { status: 0, data: { error: `the server cannot be reached (${err.message})` } };
  }
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  // Server-Timing: how long the server took (write, validation, new state), for the benchmark
  const timing = /dur=([0-9.]+)/.exec(response.headers.get("Server-Timing") ?? "");
  return { status: response.status, data, server: timing ? timing[1] : null };
}
