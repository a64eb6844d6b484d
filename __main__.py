from policypack.serving import serve

serve()
