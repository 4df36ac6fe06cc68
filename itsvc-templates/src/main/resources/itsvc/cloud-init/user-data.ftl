<#-- placeholder: replaced by the real cloud-init template -->
