// ClaimsTracker log verification: checks in the reader's own browser, with WebCrypto and the log's public key alone,
// that an event on the claim page is a leaf of the latest signed checkpoint. Nothing the server says about the
// outcome is taken on trust: the signature (C2SP signed note, Ed25519), the leaf hash (RFC 8785 JCS of the entry,
// RFC 9162 §2.1) and the inclusion proof (RFC 9162 §2.1.3.2) are all checked here.
(function () {
  "use strict";

  var SIGNATURE_PREFIX = "\u2014 ";
  var outcomes = {};   // by result element id, to show again after a live refresh replaces the history table

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-verify-leaf]") : null;
    if (button) { run(button); }
  });
  var live = document.getElementById("live");
  if (live) {
    new MutationObserver(restore).observe(live, { childList: true });
  }

  function run(button) {
    var target = button.getAttribute("aria-describedby");
    var claim = button.getAttribute("data-claim"), version = Number(button.getAttribute("data-version"));
    var known = button.getAttribute("data-verify-leaf");
    button.disabled = true;
    show(target, "checking", "Checking in your browser…");
    (known ? Promise.resolve(Number(known)) : leafOf(claim, version, button))
      .then(function (leaf) { return verify(leaf, claim, version); })
      .then(function (r) {
        show(target, "yes", "Verified in your browser against checkpoint of size " + r.size + " signed by " + r.name
          + " (key id " + r.keyId + ").");
      }, function (error) {
        show(target, "no", "Not verified: " + (error && error.message ? error.message : String(error)) + ".");
      })
      .finally(function () { button.disabled = false; });
  }

  function show(id, state, text) {
    outcomes[id] = { state: state, text: text };
    var element = document.getElementById(id);
    if (element) {
      element.setAttribute("data-verified", state);
      element.textContent = text;
    }
  }

  function restore() {
    Object.keys(outcomes).forEach(function (id) { show(id, outcomes[id].state, outcomes[id].text); });
  }

  // the page was drawn before the log took the event in; the server's answer is checked like any other below
  async function leafOf(claimId, version, button) {
    var page = await json("/api/claims/" + encodeURIComponent(claimId) + "/history?page=" + version + "&pageSize=1");
    var item = page.items && page.items[0];
    if (!item || item.version !== version) { throw new Error("the service did not return version " + version + " of this claim"); }
    if (typeof item.leafIndex !== "number") { throw new Error("the event is not in the log yet; the log takes events in within a second or so, so try again"); }
    button.setAttribute("data-verify-leaf", String(item.leafIndex));
    var label = button.parentElement.querySelector("[data-leaf]");
    if (label) {
      label.setAttribute("data-leaf", String(item.leafIndex));
      label.className = "";
      label.textContent = "leaf " + item.leafIndex;
    }
    return item.leafIndex;
  }

  async function verify(leafIndex, claimId, version) {
    if (!window.crypto || !crypto.subtle) {
      throw new Error("this browser offers WebCrypto only on https or localhost pages; open the dashboard over https");
    }
    var fetched = await Promise.all([text("/log/checkpoint"), text("/api/audit/log/key")]);
    var key = await verifierKey(fetched[1].trim());
    var checkpoint = await openCheckpoint(fetched[0], key);
    if (leafIndex >= checkpoint.size) {
      throw new Error("leaf " + leafIndex + " is beyond the latest checkpoint, which has " + checkpoint.size + " leaves");
    }

    var answers = await Promise.all([
      json("/api/audit/log/entry?leafIndex=" + leafIndex),
      json("/api/audit/log/proof/inclusion?leafIndex=" + leafIndex + "&treeSize=" + checkpoint.size)
    ]);
    var found = answers[0], proof = answers[1];
    var entry = found.entry || {};
    if (found.leafIndex !== leafIndex || entry.claimId !== claimId || entry.version !== version) {
      throw new Error("leaf " + leafIndex + " is not this event: it holds version " + entry.version + " of claim " + entry.claimId);
    }
    if (proof.leafIndex !== leafIndex || proof.treeSize !== checkpoint.size || !Array.isArray(proof.hashes)) {
      throw new Error("the server answered an inclusion proof for another leaf or tree size");
    }

    var leafHash = await sha256(concat([new Uint8Array([0]), utf8(canonical(entry))]));
    var root = await rootFromInclusionProof(leafIndex, checkpoint.size, leafHash, proof.hashes.map(base64));
    if (!same(root, checkpoint.root)) {
      throw new Error(same(leafHash, base64(proof.leafHash))
        ? "the inclusion proof does not lead to the checkpoint's root hash"
        : "the event as stored now does not hash to leaf " + leafIndex + " of the signed log: it was changed after the log took it in");
    }
    return { size: checkpoint.size, name: key.name, keyId: key.keyIdHex };
  }

  // <name>+<hex key id>+<base64(0x01 || Ed25519 public key)>; the key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 || key)
  async function verifierKey(text) {
    var first = text.indexOf("+"), second = text.indexOf("+", first + 1);
    var name = text.slice(0, first), keyIdHex = text.slice(first + 1, second).toLowerCase();
    var typed = first > 0 && second > first ? base64(text.slice(second + 1)) : null;
    if (!typed || !/^[0-9a-f]{8}$/.test(keyIdHex) || typed.length !== 33 || typed[0] !== 1 || /[\s+]/.test(name)) {
      throw new Error("the log's key is not an Ed25519 verifier key of the form name+keyid+base64");
    }
    var id = (await sha256(concat([utf8(name + "\n"), typed]))).slice(0, 4);
    if (hex(id) !== keyIdHex) {
      throw new Error("the log's key names key id " + keyIdHex + " but its public key has id " + hex(id));
    }
    var publicKey = await crypto.subtle.importKey("raw", typed.slice(1), { name: "Ed25519" }, false, ["verify"]);
    return { name: name, keyId: id, keyIdHex: keyIdHex, publicKey: publicKey };
  }

  // a C2SP signed note: body lines, a blank line, then signature lines "— <name> <base64(key id || signature)>"
  async function openCheckpoint(note, key) {
    var split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) { throw new Error("the checkpoint is not a signed note"); }
    var body = note.slice(0, split + 1);
    var signed = false;
    var lines = note.slice(split + 2, -1).split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var space = line.indexOf(" ", SIGNATURE_PREFIX.length);
      if (!line.startsWith(SIGNATURE_PREFIX) || space < 0) { throw new Error("the checkpoint has a malformed signature line"); }
      var signature = base64(line.slice(space + 1));
      if (line.slice(SIGNATURE_PREFIX.length, space) !== key.name || !signature || signature.length !== 68
        || !same(signature.slice(0, 4), key.keyId)) {
        continue;
      }
      if (!await crypto.subtle.verify({ name: "Ed25519" }, key.publicKey, signature.slice(4), utf8(body))) {
        throw new Error("the checkpoint's signature by " + key.name + " does not verify: the checkpoint was altered or forged");
      }
      signed = true;
    }
    if (!signed) { throw new Error("the checkpoint carries no signature by the log's key " + key.name + "+" + key.keyIdHex); }

    var fields = body.slice(0, -1).split("\n");
    var root = fields.length === 3 ? base64(fields[2]) : null;
    if (!root || root.length !== 32 || !/^(0|[1-9][0-9]{0,15})$/.test(fields[1])) {
      throw new Error("the checkpoint's body is not origin, tree size and root hash");
    }
    return { origin: fields[0], size: Number(fields[1]), root: root };
  }

  // RFC 9162 §2.1.3.2: the root a leaf hash and its inclusion path lead to
  async function rootFromInclusionProof(leafIndex, treeSize, leafHash, path) {
    var fn = BigInt(leafIndex), sn = BigInt(treeSize) - 1n, r = leafHash;
    for (var i = 0; i < path.length; i++) {
      if (!path[i] || path[i].length !== 32) { throw new Error("the inclusion proof holds a value that is not a hash"); }
      if (sn === 0n) { throw new Error("the inclusion proof is longer than a tree of " + treeSize + " leaves allows"); }
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(path[i], r);
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        r = await nodeHash(r, path[i]);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) { throw new Error("the inclusion proof is shorter than a tree of " + treeSize + " leaves needs"); }
    return r;
  }

  function nodeHash(left, right) { return sha256(concat([new Uint8Array([1]), left, right])); }

  // RFC 8785: members sorted by the UTF-16 code units of their names; strings and numbers as ECMAScript writes them
  function canonical(value) {
    if (value === null || typeof value !== "object") {
      if (typeof value === "number" && !isFinite(value)) { throw new Error("the entry holds a number JSON cannot write"); }
      return JSON.stringify(value);
    }
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    return "{" + Object.keys(value).sort().map(function (name) {
      return JSON.stringify(name) + ":" + canonical(value[name]);
    }).join(",") + "}";
  }

  async function text(url) {
    var response = await fetch(url, { cache: "no-store" });
    if (!response.ok) { throw await refused(url, response); }
    return response.text();
  }

  async function json(url) {
    var response = await fetch(url, { cache: "no-store", headers: { "Accept": "application/json" } });
    if (!response.ok) { throw await refused(url, response); }
    return response.json();
  }

  async function refused(url, response) {
    var problem = await response.json().catch(function () { return {}; });
    return new Error(url.split("?")[0] + " answered " + response.status + (problem.title ? " (" + problem.title + ")" : ""));
  }

  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }

  function utf8(text) { return new TextEncoder().encode(text); }

  function base64(text) {
    try {
      return typeof text === "string" ? Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }) : null;
    } catch (e) {
      return null;
    }
  }

  function hex(bytes) { return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join(""); }

  function concat(parts) {
    var all = new Uint8Array(parts.reduce(function (n, p) { return n + p.length; }, 0)), at = 0;
    parts.forEach(function (p) { all.set(p, at); at += p.length; });
    return all;
  }

  function same(a, b) {
    if (!a || !b || a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }
})();
