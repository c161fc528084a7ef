// The VS Code side of dialplan: starts `dialplan lsp` (setting dialplan.server.command)
// for *.dialplan files and lets vscode-languageclient do the rest.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("dialplan")
    .get("server.command", ["dialplan", "lsp"]);
  client = new LanguageClient(
    "dialplan",
    "Dialplan",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "dialplan" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
