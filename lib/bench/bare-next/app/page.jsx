import { TwoFieldForm } from "./two-field-form";

// Shaped like the sign-in page (a heading, an intro paragraph, a two-field client
// form), so the pages compare with what Next itself costs.
export default function Page() {
  return (
    <main style={{ maxWidth: 448, margin: "48px auto", padding: 24, background: "#fff", borderRadius: 8 }}>
      <h1 style={{ fontSize: 24, fontWeight: 600 }}>Sign in</h1>
      <p style={{ fontSize: 14, color: "#334155" }}>
        Sign in with the e-mail address and password your administrator gave you. This paragraph is as long as a
        typical introduction so that it is the page&apos;s largest text block.
      </p>
      <TwoFieldForm />
    </main>
  );
}
