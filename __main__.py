from policypack.crossguard import serve

serve()
