-- Driven by test_neovim.py: Neovim's built-in LSP client attaches to `dialplan lsp`
-- on the buffer opened, waits for its diagnostics and writes them as JSON to $DIAG_OUT.
local buffer = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "dialplan",
  cmd = { vim.env.DIALPLAN_PYTHON, "-m", "dialplan", "lsp" },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(buffer, client)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do
  table.insert(found, { code = d.code, line = d.lnum + 1, column = d.col + 1,
                        end_line = d.end_lnum + 1, end_column = d.end_col + 1 })
end
local out = io.open(vim.env.DIAG_OUT, "w")
out:write(vim.fn.json_encode({ ok = ok, diagnostics = found }))
out:close()
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.client_is_stopped(client) end, 50)
vim.cmd("qa!")
