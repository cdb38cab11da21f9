"use client";

import { useState } from "react";

export function TwoFieldForm() {
  const [sent, setSent] = useState(false);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSent(true);
      }}
    >
      <label htmlFor="email" style={{ display: "block", marginTop: 16 }}>
        E-mail address
      </label>
      <input id="email" name="email" type="email" autoComplete="username" style={{ width: "100%" }} />
      <label htmlFor="password" style={{ display: "block", marginTop: 16 }}>
        Password
      </label>
      <input id="password" name="password" type="password" autoComplete="current-password" style={{ width: "100%" }} />
      <button type="submit" style={{ marginTop: 16, width: "100%" }}>
        {sent ? "Sent" : "Sign in"}
      </button>
    </form>
  );
}
