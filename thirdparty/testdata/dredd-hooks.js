// Dredd hooks for thirdparty's TestDreddPassesEveryTransaction.
//
// Dredd builds each request from the document's parameter examples, and
// makes one transaction for each declared answer. It cannot read a form
// body's example, nor build the broken requests that earn the answers
// other than HTTP 200. These hooks do both: every POST carries its
// operation's form example from the document, and each non-200 transaction
// is sent broken as the answer's description says.
const fs = require('fs');
const yaml = require('js-yaml');
const hooks = require('hooks');

const doc = yaml.load(fs.readFileSync(process.env.DREDD_OPENAPI, 'utf8'));
const form = 'application/x-www-form-urlencoded';

hooks.beforeEach((t, done) => {
  const req = t.request;
  const path = req.uri.split('?')[0];
  if (req.method === 'POST') {
    const op = doc.paths[path].post;
    req.headers['Content-Type'] = form;
    req.body = new URLSearchParams(op.requestBody.content[form].example).toString();
  }
  // Dredd sends to fullPath; uri is what it reports.
  const addToQuery = (pairs) => {
    const sep = t.fullPath.includes('?') ? '&' : '?';
    t.fullPath += sep + pairs;
    req.uri += sep + pairs;
  };
  switch (t.expected.statusCode) {
    case '400': // more pairs than a server takes
      addToQuery(Array(300).fill('x=1').join('&'));
      break;
    case '413': // a body over the size limit
      req.body += '&pad=' + 'a'.repeat(100 << 10);
      break;
    case '414': // a query string over the size limit
      addToQuery('pad=' + 'a'.repeat(20 << 10));
      break;
    case '415': // a body that is not a form
      req.headers['Content-Type'] = 'text/plain';
      break;
  }
  if (req.body !== undefined) {
    req.headers['Content-Length'] = Buffer.byteLength(req.body);
  }
  done();
});
