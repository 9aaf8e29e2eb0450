-- maas-wizard remove-bearer custom policy, version 0.1.
-- In the rewrite phase (before the apicast policy reads the credentials), an Authorization header
-- of the form "Bearer <key>" (scheme case-insensitive, RFC 7235) becomes "<key>". Any other value,
-- or no header, is left as it is. The policy has no configuration.
local policy = require('apicast.policy')
local _M = policy.new('Remove Bearer prefix', '0.1')

local new = _M.new

--- Creates the policy instance; the configuration is ignored (the schema has no properties).
function _M.new(config)
  return new(config)
end

--- The key of a "Bearer <key>" value, or nil when the value is not of that form.
function _M.strip(value)
  if type(value) ~= 'string' then return nil end
  local key = value:match('^%s*[Bb][Ee][Aa][Rr][Ee][Rr]%s+(%S.-)%s*$')
  return key
end

function _M:rewrite()
  local value = ngx.req.get_headers()['Authorization']
  if type(value) == 'table' then value = value[1] end
  local key = _M.strip(value)
  if key then
    ngx.req.set_header('Authorization', key)
  end
end

return _M
