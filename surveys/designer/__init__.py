"""The designer workspace: staff build, translate, preview, publish and share consultations."""
