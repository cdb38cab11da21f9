"use client";

import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" className="btn-secondary py-1.5" onClick={() => signOut({ callbackUrl: "/login" })}>
      {label}
    </button>
  );
}
