import { getDb } from "@/lib/db";
import { unsubscribe } from "@/lib/delivery/unsubscribe";
import { readBodyBytes } from "@/app/_server/read-body";

/**
 * The List-Unsubscribe address of every reminder. No sign-in: the signed token in the
 * path is the authorization (it names one delivery, hence one plan and one learner).
 *
 * - POST (RFC 8058 one-click): the mailbox provider posts `List-Unsubscribe=One-Click`;
 *   answered 200 in plain text, also when it was done before (idempotent).
 * - POST with `via=page`: the confirm button of the learner's page (a plain form, no
 *   script); answered with a redirect back to the page, which then says it is done.
 * - GET only redirects to the page: link scanners and previews fetch links, so a GET
 *   never unsubscribes.
 */

const PLAIN = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
const BODY_LIMIT = 4 * 1024;

type Ctx = { params: Promise<{ token: string }> };

/** The path's token; anything but a string (a malformed request) counts as no token. */
async function tokenOf({ params }: Ctx): Promise<string> {
  const { token } = await params;
  return typeof token === "string" ? token : "";
}

function pageUrl(request: Request, token: string, done = false): URL {
  return new URL(`/u/${encodeURIComponent(token)}${done ? "?done=1" : ""}`, request.url);
}

export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  const token = await tokenOf(ctx);
  return Response.redirect(pageUrl(request, token), 303);
}

export async function POST(request: Request, ctx: Ctx): Promise<Response> {
  const token = await tokenOf(ctx);
  const bytes = await readBodyBytes(request, BODY_LIMIT);
  if (bytes === "tooLarge") return new Response("Payload too large\n", { status: 413, headers: PLAIN });
  // Providers post form-encoded or multipart (RFC 8058 §3.1); whatever they send is a
  // one-click. Our page's form is form-encoded and carries via=page.
  const fromPage = new URLSearchParams(bytes ? bytes.toString("utf8") : "").get("via") === "page";
  const db = await getDb();
  const outcome = await unsubscribe(db, { token, via: fromPage ? "page" : "one_click", now: new Date() });
  if (!outcome.ok) {
    return fromPage
      ? Response.redirect(pageUrl(request, token), 303)
      : new Response("Unknown or expired unsubscribe link\n", { status: 404, headers: PLAIN });
  }
  if (fromPage) return Response.redirect(pageUrl(request, token, true), 303);
  return new Response(outcome.data.already ? "Already unsubscribed\n" : "Unsubscribed\n", { status: 200, headers: PLAIN });
}
