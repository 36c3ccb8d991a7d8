// Expands a JSON-LD file with a real processor (jsonld.js) in safe mode, which fails on anything it would drop.
// schema.org's context is served locally, its terms as schema.org defines them: the tests run offline.
import { readFile } from 'node:fs/promises';
import jsonld from 'jsonld';

const schemaOrg = {
  '@context': {
    '@vocab': 'http://schema.org/',
    schema: 'http://schema.org/',
    id: '@id',
    type: '@type',
    url: { '@id': 'schema:url', '@type': '@id' },
    sameAs: { '@id': 'schema:sameAs', '@type': '@id' },
    citation: { '@id': 'schema:citation' },
    datePublished: { '@id': 'schema:datePublished', '@type': 'schema:Date' },
    dateModified: { '@id': 'schema:dateModified', '@type': 'schema:Date' },
  },
};
const contexts = new Set(['https://schema.org', 'https://schema.org/', 'http://schema.org', 'http://schema.org/']);

const documentLoader = async (url) => {
  if (contexts.has(url)) {
    return { contextUrl: null, documentUrl: url, document: schemaOrg };
  }
  throw new Error(`no network in tests: ${url} is not served locally`);
};

const input = JSON.parse(await readFile(process.argv[2], 'utf8'));
const expanded = await jsonld.expand(input, { documentLoader, safe: true });
process.stdout.write(JSON.stringify(expanded));
