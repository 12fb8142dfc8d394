<aura:application></aura:application>
