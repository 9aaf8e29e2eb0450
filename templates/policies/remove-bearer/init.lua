-- maas-wizard remove-bearer custom policy, version 0.1: APIcast loads a custom policy through its
-- init.lua, which hands back the policy module.
return require('remove-bearer')
