// Registers a claim, records a statement, then meets a 409 with a stale expectedVersion, through the generated types only.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type ClaimStatus = components["schemas"]["ClaimStatus"];
// does not compile if the document lets a field the service requires be null
const nullRefused: null extends components["schemas"]["RegisterClaim"]["statement"] ? never : true = true;
// does not compile if the document offers any string as a stance rather than the vocabulary's words
type Stance = components["schemas"]["RecordStatement"]["stance"];
const stanceIsAWord: string extends Stance ? never : true = true;
// does not compile unless the document declares the 409 on this route, with a problem body
type StaleVersion = paths["/api/claims/{claimId}/statements"]["post"]["responses"][409]["content"]["application/problem+json"];

const [baseUrl, editorKey] = process.argv.slice(2);
if (!baseUrl || !editorKey) {
  throw new Error("usage: node client.js <base url> <editor key>");
}

const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${editorKey}` } });

// only the fields the service requires: the optional topics, url and headline are left out, not sent as null
const registered = await api.POST("/api/claims", {
  body: {
    statement: "North Korea has supplied rockets and missiles to Russia",
    parties: ["Russia", "North Korea"],
    firstReport: { outlet: "Reuters", publishedAt: "2024-02-20T00:00:00Z" },
  },
});
if (!registered.data) {
  throw new Error(`register: ${registered.response.status} ${JSON.stringify(registered.error)}`);
}

const claimId: string = registered.data.id;
const registeredAt: number = registered.data.version;
const statement = (expectedVersion: number) =>
  api.POST("/api/claims/{claimId}/statements", {
    params: { path: { claimId } },
    body: {
      source: { name: "Dmitry Peskov", role: "Kremlin spokesperson", party: "Russia" },
      stance: "confirms",
      quote: "Russia and North Korea cooperate in every field.",
      statedAt: "2024-02-20T09:00:00Z",
      reportedIn: { outlet: "TASS", url: "https://example.org/tass-peskov", headline: "Peskov on Pyongyang", publishedAt: "2024-02-20" },
      expectedVersion,
    },
  });

const recorded = await statement(registeredAt);
if (!recorded.data) {
  throw new Error(`statement: ${recorded.response.status} ${JSON.stringify(recorded.error)}`);
}

const status: ClaimStatus = recorded.data.status;
const stale = await statement(registeredAt);
if (!stale.error) {
  throw new Error(`a stale expectedVersion was accepted: ${stale.response.status} ${JSON.stringify(stale.data)}`);
}

const problem: StaleVersion = stale.error;
console.log(JSON.stringify({
  claimId,
  registered: { status: registered.response.status, version: registeredAt },
  recorded: { status: recorded.response.status, version: recorded.data.version, claimStatus: status },
  stale: {
    status: stale.response.status,
    contentType: stale.response.headers.get("content-type"),
    problemStatus: problem.status,
    title: problem.title,
  },
}));
