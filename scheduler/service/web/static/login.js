// Logging in with a pasted token: the session resource sets the page's cookie; then the page reloads.
"use strict";
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  const response = await fetch("/api/v1/session", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  window.location.replace(response.ok ? "/" : "/?login=bad");
});
