"use client";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      className="btn-secondary py-1.5"
      onClick={async () => {
        // Loaded on click, so next-auth's client code is not part of every page's first load.
        const { signOut } = await import("next-auth/react");
        await signOut({ callbackUrl: "/login" });
      }}
    >
      {label}
    </button>
  );
}
