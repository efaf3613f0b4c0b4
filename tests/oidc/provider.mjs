// A real OpenID Connect provider for the sign-in tests: the certified `oidc-provider` package, with a
// one-field sign-in page in place of a directory. Started by tests/oidc/fixtures.py on a free port.
//
// Environment: PORT, CLIENTS (JSON list of oidc-provider client metadata), ACCOUNTS_FILE (JSON object
// from account name to {claims: {...}, amr: [...], acr: "..."}, read afresh on each use so a test can
// add people while the provider runs).
//
// Test-only hook GET /__test/mode?set=<mode> rewrites the next ID token from the token endpoint, re-signed
// with this provider's own key, so the relying party sees a token the provider could really have issued:
//   tamper   - one character of the payload changed, signature left as it was (so it no longer verifies)
//   expired  - `exp` and `iat` an hour in the past
//   audience - `aud` another client's id
//   nonce    - `nonce` a different value
//   issuer   - `iss` another server
import fs from "node:fs";
import Provider from "oidc-provider";
import * as jose from "jose";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS);
const accountsFile = process.env.ACCOUNTS_FILE;

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };

function accounts() {
  return JSON.parse(fs.readFileSync(accountsFile, "utf8"));
}

const configuration = {
  clients,
  jwks: { keys: [privateJwk] },
  cookies: { keys: ["socialpolicy-test-cookie-key"] },
  // Entra and Google put the email in the ID token itself; so does this provider.
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub", "acr", "amr", "auth_time"],  // amr and acr carry the sign-in's second factor
    email: ["email", "email_verified"],
    profile: ["name", "oid", "preferred_username"],
  },
  acrValues: ["urn:test:pwd", "urn:test:mfa"],
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
};

const provider = new Provider(issuer, configuration);
let mode = "";

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

async function rewrite(idToken) {
  if (mode === "tamper") {
    const [head, payload, signature] = idToken.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    claims.email = "someone.else@demo.socialpolicy.invalid";
    return [head, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
  }
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === "audience") claims.aud = "some-other-application";
  if (mode === "nonce") claims.nonce = "not-the-nonce-you-sent";
  if (mode === "issuer") claims.iss = "http://127.0.0.1:1/";
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: privateJwk.kid, typ: "JWT" })
    .sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === "/__test/mode") {
    mode = ctx.query.set || "";
    ctx.body = { mode };
    return;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === "GET" && details.prompt.name === "login") {
      ctx.type = "html";
      ctx.body = `<!doctype html><html lang="en"><head><title>Test directory sign-in</title></head><body>
        <h1>Test directory</h1>
        <form method="post" action="/interaction/${details.uid}/login">
          <label for="login">Account</label> <input id="login" name="login" autofocus>
          <button type="submit">Continue</button>
        </form></body></html>`;
      return;
    }
    let accountId = details.session?.accountId;
    const result = {};
    if (ctx.method === "POST") {
      accountId = (await readForm(ctx.req)).get("login");
      const account = accounts()[accountId];
      if (!account) {
        ctx.status = 400;
        ctx.type = "html";
        ctx.body = "<p>No such account in the test directory.</p>";
        return;
      }
      result.login = { accountId, amr: account.amr || ["pwd"], acr: account.acr || "urn:test:pwd" };
    }
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    result.consent = { grantId: await grant.save() };
    const url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.redirect(url);
    return;
  }
  await next();
  if (ctx.path === "/token" && mode && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await rewrite(ctx.body.id_token) };
    mode = "";
  }
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
