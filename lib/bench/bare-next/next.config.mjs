// The Lighthouse bench's baseline: a bare Next 16 app with nothing of Postillion in
// it. Built and served by lib/bench/lighthouse.ts only; never part of the product.
const config = { poweredByHeader: false };
export default config;
